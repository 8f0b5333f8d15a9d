import type { ChecksumSpelling } from './rowChecksum';
import { scaleFactor } from './common';

/** SQLite's spelling of the cross-engine checksum (see `Dialect.checksum`). */
export const sqliteChecksum: ChecksumSpelling = {
  term(expression, type) {
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
        // julianday of a bare date is always n.5: the difference is an exact day count.
        return `CAST(julianday(date(${e})) - 2440587.5 AS INTEGER)`;
      case 'timestamp':
      case 'timestamptz':
        // %s floors fractional seconds, as FLOOR does on PostgreSQL and MySQL; an
        // offset in the text ('+02:00') is applied, giving UTC.
        return `CAST(strftime('%s', ${e}) AS INTEGER)`;
      case 'time':
        return `CAST(strftime('%s', '1970-01-01 ' || ${e}) AS INTEGER)`;
      case 'char':
        // PostgreSQL and MySQL drop a CHAR's trailing spaces when they read it.
        return `dm_md5_32(RTRIM(${e}, ' '))`;
      case 'uuid':
        // PostgreSQL prints uuids in lower case.
        return `dm_md5_32(LOWER(${e}))`;
      default:
        return `dm_md5_32(${e})`;
    }
  },
  termText(expression, type, options) {
    if (type.kind === 'double') return undefined;
    const term = this.term(expression, type, options);
    // ROUND gives a REAL, and so does dm_md5_32 (a JavaScript number), which || would
    // print as '123.0'.
    if (/^(decimal|char|varchar|text|json|uuid|binary)$/.test(type.kind))
      return `CAST(${term} AS INTEGER)`;
    // || prints integers as their digits.
    return term;
  },
  plainText(expression, type) {
    const e = `(${expression})`;
    switch (type.kind) {
      case 'char':
        return `RTRIM(${e}, ' ')`;
      case 'uuid':
        return `LOWER(${e})`;
      case 'varchar':
      case 'text':
        return e;
      default:
        return undefined;
    }
  },
  // An INTEGER, so SUM adds exactly past 2^53 (a REAL sum would round).
  hash32: text => `CAST(dm_md5_32(${text}) AS INTEGER)`,
  // length() counts a text's characters.
  charLength: text => `length(${text})`,
  rowPiece: text => text,
  concat: texts => `(${texts.join(' || ')})`,
  weight: hash => `(${hash} / 8589934592.0 + 0.5)`,
};
