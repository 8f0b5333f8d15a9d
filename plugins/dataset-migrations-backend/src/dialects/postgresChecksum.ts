import type { ChecksumSpelling } from './rowChecksum';
import { scaleFactor } from './common';

const md5First32 = (text: string) =>
  `('x' || substr(md5(${text}), 1, 8))::bit(32)::bigint`;

/** What a NULL value counts as in `mixNativeHashes`: 2^32, outside any 32-bit hash. */
const NULL_HASH = 4294967296;
/** The first column's multiplier in `mixNativeHashes` (2^19 + 1); the next ones go up by 2. */
const FIRST_MULTIPLIER = 524289;

/** PostgreSQL's spelling of the cross-engine checksum (see `Dialect.checksum`). */
export const postgresChecksum: ChecksumSpelling = {
  term(expression, type, options) {
    const e = `(${expression})`;
    switch (type.kind) {
      case 'smallint':
      case 'integer':
      case 'bigint':
      case 'double':
        return e;
      case 'boolean':
        // No ELSE: NULL stays NULL, so it binds to no value.
        return `CASE WHEN ${e} THEN 1 WHEN NOT ${e} THEN 0 END`;
      case 'decimal':
        return `ROUND(${e} * ${scaleFactor(type)})`;
      case 'date':
        // date - date is an integer day count (::date also accepts a timestamp).
        return `(${e}::date - DATE '1970-01-01')`;
      case 'timestamp':
      case 'timestamptz':
      case 'time':
        // EXTRACT(EPOCH ...) is numeric with the fraction; FLOOR as the other engines do.
        // A timestamp without zone counts from 1970-01-01 00:00 whatever the session zone.
        return `FLOOR(EXTRACT(EPOCH FROM ${e}))::bigint`;
      case 'binary':
        // md5(bytea) hashes the bytes, as MySQL's MD5 and SQLite's dm_md5_32 do for blobs.
        return md5First32(e);
      default:
        // ::text drops a char(n)'s padding and prints uuids in lower case. Between two
        // PostgreSQL databases, hashtext (about ten times cheaper than md5 and its hex
        // parsing, most of verify's time) hashes the same bytes alike; COLLATE "C" keeps
        // a nondeterministic collation from hashing its sort key instead.
        if (options?.isSameEngine) return `hashtext(${e}::text COLLATE "C")`;
        return md5First32(`${e}::text`);
    }
  },
  termText(expression, type, options) {
    if (type.kind === 'double') return undefined;
    const term = this.term(expression, type, options);
    // ROUND of a double is a double, which could print an exponent: numeric prints digits.
    if (type.kind === 'decimal') return `CAST(${term} AS numeric)::text`;
    return `(${term})::text`;
  },
  plainText(expression, type) {
    return ['char', 'varchar', 'text', 'uuid'].includes(type.kind)
      ? `(${expression})::text`
      : undefined;
  },
  hash32(text, options) {
    return options?.isSameEngine
      ? `hashtext((${text}) COLLATE "C")`
      : md5First32(`(${text})`);
  },
  charLength: text => `char_length(${text})::text`,
  rowPiece: text => text,
  concat: texts => `(${texts.join(' || ')})`,
  weight: hash => `(CAST(${hash} AS double precision) / 8589934592 + 0.5)`,
  nativeHash(expression, type, declaredType) {
    const e = `(${expression})`;
    const declared = declaredType.trim().toLowerCase();
    if (declared.includes('[')) return undefined;
    // The hash functions of PostgreSQL's hash joins, each on the value as its type holds
    // it; COLLATE "C" hashes a text's bytes, not a nondeterministic collation's sort key.
    switch (type.kind) {
      case 'smallint':
      case 'integer':
      case 'boolean':
        return `hashint4(${e}::integer)`;
      case 'bigint':
        return `hashint8(${e}::bigint)`;
      case 'decimal':
        return `hash_numeric(${e}::numeric)`;
      case 'date':
      case 'timestamp':
        return `timestamp_hash(${e}::timestamp)`;
      case 'timestamptz':
        // The instant in UTC, whatever each session's TimeZone.
        return `timestamp_hash(${e}::timestamptz AT TIME ZONE 'UTC')`;
      case 'time':
        return /with time zone|timetz/.test(declared)
          ? undefined
          : `time_hash(${e}::time)`;
      case 'char':
        return `hashbpchar(${e}::bpchar COLLATE "C")`;
      case 'varchar':
        return `hashtext(${e}::text COLLATE "C")`;
      case 'text':
        // Other types read as text (arrays, enums, domains, xml) have other hashes or none.
        return declared === 'text'
          ? `hashtext(${e}::text COLLATE "C")`
          : undefined;
      case 'uuid':
        return `uuid_hash(${e}::uuid)`;
      default:
        return undefined;
    }
  },
  mixNativeHashes: hashes =>
    // Each value's hash (NULL as 2^32, which no hash is) times a multiplier of its own
    // below 2^20, summed (below 2^63 for PostgreSQL's 1,600 columns) and hashed again:
    // values moved between columns or rows change the row's hash.
    `hashint8(${hashes
      .map(
        (h, i) =>
          `COALESCE((${h})::bigint, ${NULL_HASH}) * ${
            FIRST_MULTIPLIER + 2 * i
          }`,
      )
      .join(' + ')})`,
};
