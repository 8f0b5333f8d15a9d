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
  /** Texts joined; NULL when one of them is NULL. */
  concat(texts: SqlExpression[]): SqlExpression;
  /** `0.5 + hash / 2^33` as a double: exact in binary, so every engine gets the same weight. */
  weight(hash: SqlExpression): SqlExpression;
};

export type KeyPart = { expression: SqlExpression; type: LogicalType };

/**
 * A row's key as text every engine spells alike: its columns' canonical forms joined by
 * `|`. A single text column is taken as it is (the checksum's `|` and digits after it
 * keep it apart); in a composite key a text column is hashed first, so a `|` inside it
 * cannot make two keys spell alike. Doubles are left out: their text differs between
 * engines (rows differing only there are bound alike). A NULL part reads as `n` (no
 * digits): bound to a whole row (no key), a NULL in one column must not unbind the
 * row's other values.
 */
export function keyTextOf(
  spelling: ChecksumSpelling,
  parts: KeyPart[],
  options?: ChecksumOptions,
): SqlExpression {
  const usable = parts.filter(p => p.type.kind !== 'double');
  if (usable.length === 0) return `''`;
  if (usable.length === 1) {
    const [only] = usable;
    const plain = spelling.plainText(only.expression, only.type);
    if (plain) return `COALESCE(${plain}, 'n')`;
  }
  const texts = usable.map(
    p => `COALESCE(${spelling.termText(p.expression, p.type, options)}, 'n')`,
  );
  return texts.length === 1
    ? texts[0]
    : spelling.concat(texts.flatMap((t, i) => (i === 0 ? [t] : [`'|'`, t])));
}

/**
 * A column's checksum with each value bound to its row's key (`keyText`): the sum of
 * the 32-bit hash of `key|canonical value`, so two rows swapping values, or values
 * changing while keeping their sum, change it. A double is summed weighted by its key's
 * hash (a weight in [0.25, 1), so the product never overflows), compared with the
 * doubles' tolerance. NULLs add nothing: COUNT(expression) tells them apart.
 */
export function boundChecksumOf(
  spelling: ChecksumSpelling,
  expression: SqlExpression,
  type: LogicalType,
  keyText: SqlExpression,
  options?: ChecksumOptions,
): ChecksumAggregate {
  const text = spelling.termText(expression, type, options);
  if (text === undefined)
    return `SUM((${expression}) * ${spelling.weight(
      spelling.hash32(keyText, options),
    )})`;
  return `SUM(${spelling.hash32(
    spelling.concat([keyText, `'|'`, text]),
    options,
  )})`;
}
