import type { Dialect } from '../plan/dialects/Dialect';

/**
 * A key value read from the source, as a literal of the source's dialect: what the
 * `:after_<i>` / `:up_to_<i>` placeholders of a reviewed copy statement become.
 */
export function keyLiteral(dialect: Dialect, value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  )
    return dialect.literal(value);
  if (Buffer.isBuffer(value)) {
    const hex = value.toString('hex');
    return dialect.engine === 'postgres' ? `'\\x${hex}'::bytea` : `X'${hex}'`;
  }
  throw new Error(
    `A copy key value of type ${
      value === null ? 'null' : typeof value
    } cannot be written as a SQL literal; key the copy on a column of a scalar type`,
  );
}

/** Puts the bound's values in for its placeholders (`:after_0`, ...) in `sql`. */
export function bindKeyBound(
  sql: string,
  dialect: Dialect,
  bound: 'after' | 'up_to',
  values: unknown[],
): string {
  return sql.replace(new RegExp(`:${bound}_(\\d+)\\b`, 'g'), (token, i) => {
    const index = Number(i);
    if (index >= values.length)
      throw new Error(`${token} has no value: the key has ${values.length}`);
    return keyLiteral(dialect, values[index]);
  });
}
