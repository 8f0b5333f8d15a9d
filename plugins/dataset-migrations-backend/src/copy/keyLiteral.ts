import type { Dialect } from '../dialects/Dialect';

/**
 * A value read by a driver, as a SQL literal of `dialect`, for statements that cannot
 * use driver bindings: knex counts every `?` of a statement as one, also inside a
 * quoted name, and mysql2 fills `?` without regard to quotes. Strings go through the
 * dialect's escaping (PostgreSQL sessions pin standard_conforming_strings, so a
 * backslash is a backslash).
 */
export function sqlLiteral(dialect: Dialect, value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'bigint') return value.toString();
  if (
    typeof value === 'number' &&
    !Number.isFinite(value) &&
    dialect.engine === 'postgres'
  ) {
    // PostgreSQL's float types hold these; the others have no such value to write.
    return `${dialect.literal(String(value))}::double precision`;
  }
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
    `A value of type ${
      value instanceof Date ? 'Date' : typeof value
    } cannot be written as a SQL literal; report this with the column's type`,
  );
}

/**
 * A key value read from the source, as a literal of the source's dialect: what the
 * `:after_<i>` / `:up_to_<i>` holes of a reviewed copy statement are filled with.
 */
export function keyLiteral(dialect: Dialect, value: unknown): string {
  if (value === null || value === undefined || typeof value === 'object') {
    if (!Buffer.isBuffer(value)) {
      throw new Error(
        `A copy key value of type ${
          value === null ? 'null' : typeof value
        } cannot be written as a SQL literal; key the copy on a column of a scalar type`,
      );
    }
  }
  return sqlLiteral(dialect, value);
}
