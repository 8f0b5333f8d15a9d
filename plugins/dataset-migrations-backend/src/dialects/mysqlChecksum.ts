import type { ChecksumSpelling } from './rowChecksum';
import { scaleFactor } from './common';

/** MD5's first 8 hex digits as a decimal string. */
const md5First32Digits = (text: string) =>
  `CONV(SUBSTR(MD5(${text}), 1, 8), 16, 10)`;
// CONV gives a decimal string, which SUM would add as DOUBLE (inexact past 2^53): CAST
// makes it an integer so SUM stays exact.
const md5First32 = (text: string) =>
  `CAST(${md5First32Digits(text)} AS UNSIGNED)`;

/** MySQL's (and MariaDB's) spelling of the cross-engine checksum (see `Dialect.checksum`). */
export const mysqlChecksum: ChecksumSpelling = {
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
        // TO_DAYS('1970-01-01') = 719528; independent of the session time zone.
        return `(TO_DAYS(${e}) - 719528)`;
      case 'timestamp':
      case 'timestamptz':
        // TO_SECONDS counts whole seconds from year 0, dropping the fraction: a floor for
        // every date, before 1970 too, as the other engines floor. 62167219200 is
        // TO_SECONDS('1970-01-01 00:00:00'). (A third of TIMESTAMPDIFF's cost, which
        // truncates toward zero and needed a second's correction before 1970.)
        return `(TO_SECONDS(${e}) - 62167219200)`;
      case 'time':
        return `FLOOR(TIME_TO_SEC(${e}))`;
      case 'uuid':
        // PostgreSQL prints uuids in lower case.
        return md5First32(`LOWER(${e})`);
      default:
        return md5First32(e);
    }
  },
  termText(expression, type, options) {
    const e = `(${expression})`;
    switch (type.kind) {
      case 'double':
        return undefined;
      case 'decimal':
      case 'time':
        // A DECIMAL (or a double's ROUND) as digits only: no fraction, no exponent.
        return `CAST(${this.term(
          expression,
          type,
          options,
        )} AS DECIMAL(65, 0))`;
      case 'boolean':
      case 'smallint':
      case 'integer':
      case 'bigint':
      case 'date':
      case 'timestamp':
      case 'timestamptz':
        // CONCAT prints integers as their digits.
        return this.term(expression, type, options);
      case 'uuid':
        return md5First32Digits(`LOWER(${e})`);
      default:
        return md5First32Digits(e);
    }
  },
  plainText(expression, type) {
    if (type.kind === 'uuid') return `LOWER(${expression})`;
    return ['char', 'varchar', 'text'].includes(type.kind)
      ? `(${expression})`
      : undefined;
  },
  hash32: text => md5First32(text),
  charLength: text => `CHAR_LENGTH(${text})`,
  // CONCAT refuses texts of two collations of one character set: one for all.
  rowPiece: text => `CONVERT(${text} USING utf8mb4)`,
  concat: texts => `CONCAT(${texts.join(', ')})`,
  // 8589934592e0 is a DOUBLE literal: a DECIMAL division would round to 4 decimals.
  weight: hash => `(${hash} / 8589934592e0 + 0.5)`,
};
