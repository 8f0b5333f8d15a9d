import type { Dialect, TableName } from '../dialects/Dialect';
import { sqlLiteral } from './keyLiteral';

/*
 * Writes to the target as SQL text: every name through the dialect's quoting, whole
 * (knex's query builder splits `a.b` into schema and table and reads `x as y` as an
 * alias), and every value as a literal (see sqlLiteral for why not bindings).
 */

/** `DELETE FROM table`: empties a target before a copy that starts over. */
export const deleteAllSql = (dialect: Dialect, table: TableName) =>
  `DELETE FROM ${dialect.qualify(table)}`;

/**
 * A multi-row INSERT of `rows` (values in `columns` order). With `ignoreKey`, rows
 * whose key is already there are skipped: on MySQL by a no-op update, because
 * INSERT IGNORE would also turn truncation and other data errors into warnings.
 */
export function insertRowsSql(
  dialect: Dialect,
  table: TableName,
  columns: string[],
  rows: unknown[][],
  ignoreKey?: string[],
): string {
  const values = rows
    .map(row => `(${row.map(v => sqlLiteral(dialect, v)).join(', ')})`)
    .join(',\n');
  let sql = `INSERT INTO ${dialect.qualify(table)} (${columns
    .map(c => dialect.quote(c))
    .join(', ')}) VALUES\n${values}`;
  if (ignoreKey?.length) {
    const key = ignoreKey.map(k => dialect.quote(k));
    sql +=
      dialect.engine === 'mysql'
        ? `\nON DUPLICATE KEY UPDATE ${key[0]} = ${key[0]}`
        : `\nON CONFLICT (${key.join(', ')}) DO NOTHING`;
  }
  return sql;
}

/** `DELETE … WHERE` the key is one of `keys` (values in `keyColumns` order). */
export function deleteKeysSql(
  dialect: Dialect,
  table: TableName,
  keyColumns: string[],
  keys: unknown[][],
): string {
  const quoted = keyColumns.map(k => dialect.quote(k));
  // One column: IN. Several: OR of ANDs, which every engine takes (SQLite has no
  // row-value IN list).
  const where =
    quoted.length === 1
      ? `${quoted[0]} IN (${keys
          .map(k => sqlLiteral(dialect, k[0]))
          .join(', ')})`
      : keys
          .map(
            k =>
              `(${quoted
                .map((c, i) => `${c} = ${sqlLiteral(dialect, k[i])}`)
                .join(' AND ')})`,
          )
          .join('\n   OR ');
  return `DELETE FROM ${dialect.qualify(table)}\nWHERE ${where}`;
}
