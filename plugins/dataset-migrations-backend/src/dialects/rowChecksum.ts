import type { LogicalType } from './LogicalType';
import type { ChecksumAggregate, SqlExpression } from './sqlPieces';

export type ChecksumOptions = { isSameEngine?: boolean };

/**
 * How one engine spells the pieces of a checksum. Every engine computes the same value
 * for the same data: that is what lets source and target be compared.
 */
export type ChecksumSpelling = {
  /**
   * The value's canonical form, an integer every engine computes alike (see
   * `Dialect.checksum`), or the double itself. NULL stays NULL.
   */
  term(
    expression: SqlExpression,
    type: LogicalType,
    options?: ChecksumOptions,
  ): SqlExpression;
  /** `term` as decimal digits (no fraction, no exponent); undefined for doubles. */
  termText(
    expression: SqlExpression,
    type: LogicalType,
    options?: ChecksumOptions,
  ): SqlExpression | undefined;
  /**
   * A char/varchar/text/uuid value as the text every engine reads (no CHAR padding,
   * uuids in lower case); undefined for other types.
   */
  plainText(
    expression: SqlExpression,
    type: LogicalType,
  ): SqlExpression | undefined;
  /** A 32-bit hash of a text's bytes (`hashtext` between PostgreSQL databases, else MD5's first 32 bits). */
  hash32(text: SqlExpression, options?: ChecksumOptions): SqlExpression;
  /** A text's length in characters, as text. */
  charLength(text: SqlExpression): SqlExpression;
  /** A `plainText` as the row text takes it (MySQL: in utf8mb4, so mixed collations join). */
  rowPiece(text: SqlExpression): SqlExpression;
  /** Texts joined; NULL when one of them is NULL. */
  concat(texts: SqlExpression[]): SqlExpression;
  /** `0.5 + hash / 2^33` as a double: exact in binary (|hash| < 2^53), so every engine gets the same weight. */
  weight(hash: SqlExpression): SqlExpression;
  /**
   * With `isSameEngine`, the engine's own hash of a value of `declaredType` (a type both
   * sides declare alike), an integer of 32 bits or NULL for NULL; undefined where the
   * engine has none it can call on that type. PostgreSQL's are the hash functions of its
   * hash joins, a fraction of the cost of printing a row's text (see `nativeRowChecksum`).
   */
  nativeHash?(
    expression: SqlExpression,
    type: LogicalType,
    declaredType: string,
  ): SqlExpression | undefined;
  /** One 32-bit hash of a row from its values' `nativeHash`es, bound to their positions. */
  mixNativeHashes?(hashes: SqlExpression[]): SqlExpression;
};

export type KeyPart = {
  expression: SqlExpression;
  type: LogicalType;
  /**
   * The type both sides declare for the column, when it is carried as it is within one
   * engine (no cast, nothing the target re-spells): the engine's own hashes of that type
   * then agree on both sides.
   */
  declaredType?: string;
  /** false: the value is never NULL (a NOT NULL column), so its row text needs no NULL marker. */
  isNullable?: boolean;
};

const INTEGER_KINDS = ['smallint', 'integer', 'bigint'];
/** The largest prime below 2^32, and a multiplier near 2^32 / φ² below 2^31 (see `keyWeightOf`). */
const WEIGHT_PRIME = 4294967291;
const WEIGHT_MULTIPLIER = 1640531527;

/**
 * A row's weight for its doubles, from its key: `0.5 + r / 2^33` for an r every engine
 * computes alike. A single integer key gets r = (key mod p) × m mod p, integer
 * arithmetic (no bigger than 2^63, with the sign of the key) that costs a fraction of
 * an MD5, most of a double's share of verify's time; distinct keys within p of each
 * other get distinct weights, and with m/p near 1/φ² keys a few apart get weights far
 * apart. Any other key gets the 32-bit hash of its text (`rowTextOf`).
 */
function keyWeightOf(
  spelling: ChecksumSpelling,
  key: KeyPart[],
  options?: ChecksumOptions,
): SqlExpression {
  if (key.length === 1 && INTEGER_KINDS.includes(key[0].type.kind)) {
    return spelling.weight(
      `((${key[0].expression}) % ${WEIGHT_PRIME} * ${WEIGHT_MULTIPLIER} % ${WEIGHT_PRIME})`,
    );
  }
  return spelling.weight(
    spelling.hash32(rowTextOf(spelling, key, options), options),
  );
}

/**
 * A double column's sum with each value weighted by its row's key (`keyWeightOf`, a
 * weight in (0, 1), so the product never overflows): values swapped between rows, or
 * changed keeping their sum, change it. Compared with the doubles' tolerance; NULLs add
 * nothing (COUNT(expression) tells them apart).
 */
export function keyWeightedSumOf(
  spelling: ChecksumSpelling,
  expression: SqlExpression,
  key: KeyPart[],
  options?: ChecksumOptions,
): ChecksumAggregate {
  return `SUM((${expression}) * ${keyWeightOf(spelling, key, options)})`;
}

/**
 * A row's non-double values as one text every engine spells alike, in column order,
 * joined by `|`: a char/varchar/text/uuid value as its character count, `:` and its
 * text (so a `|` inside it, or text moved between two columns, cannot spell another
 * row alike), any other value as its canonical digits (`termText`), a NULL as `n`
 * (which neither form starts with, so NULL and '' differ).
 */
export function rowTextOf(
  spelling: ChecksumSpelling,
  parts: KeyPart[],
  options?: ChecksumOptions,
): SqlExpression {
  // COALESCE costs a sixth of the text's building on MariaDB: only where NULL can be.
  const orNull = (p: KeyPart, text: SqlExpression) =>
    p.isNullable === false ? text : `COALESCE(${text}, 'n')`;
  const pieces = parts.flatMap(p => {
    const plain = spelling.plainText(p.expression, p.type);
    if (plain !== undefined) {
      const text = spelling.rowPiece(plain);
      return [
        orNull(p, spelling.concat([spelling.charLength(text), `':'`, text])),
      ];
    }
    const digits = spelling.termText(p.expression, p.type, options);
    return digits === undefined ? [] : [orNull(p, digits)];
  });
  if (pieces.length === 0) return `''`;
  return pieces.length === 1
    ? pieces[0]
    : spelling.concat(pieces.flatMap((t, i) => (i === 0 ? [t] : [`'|'`, t])));
}

/**
 * `rowChecksumOf` without the row's text, where both sides are one engine and every
 * non-double column is declared alike on both (`KeyPart.declaredType`): the sum over
 * rows of one hash mixed from each value's own hash (`nativeHash`). Printing the row's
 * text was three quarters of verify's time between two PostgreSQL databases. Undefined
 * (the text is hashed) when a column has no such hash or no declared type.
 */
function nativeRowChecksum(
  spelling: ChecksumSpelling,
  parts: KeyPart[],
): ChecksumAggregate | undefined {
  const { nativeHash, mixNativeHashes } = spelling;
  if (!nativeHash || !mixNativeHashes) return undefined;
  const hashed = parts.filter(p => p.type.kind !== 'double');
  if (hashed.length === 0) return undefined;
  const hashes = hashed.map(p =>
    p.declaredType === undefined
      ? undefined
      : nativeHash.call(spelling, p.expression, p.type, p.declaredType),
  );
  if (hashes.some(h => h === undefined)) return undefined;
  return `SUM(${mixNativeHashes.call(spelling, hashes as SqlExpression[])})`;
}

/**
 * The sum over rows of one 32-bit hash of each row's text (`rowTextOf`): one hash a row
 * instead of one a value, most of verify's time. Equal sums mean equal multisets of
 * rows but for a 2^-32 chance, so values swapped between rows or columns show; doubles
 * are left to `keyWeightedSumOf`, their text differing between engines.
 */
export function rowChecksumOf(
  spelling: ChecksumSpelling,
  parts: KeyPart[],
  options?: ChecksumOptions,
): ChecksumAggregate {
  const native = options?.isSameEngine
    ? nativeRowChecksum(spelling, parts)
    : undefined;
  if (native) return native;
  return `SUM(${spelling.hash32(
    rowTextOf(spelling, parts, options),
    options,
  )})`;
}
