import { matchesGlob } from '../plan/rules/glob';
import type { TableName } from '../dialects/Dialect';

/** `schema.table`, or `table` where the engine has no schemas (SQLite). */
export const qualifiedName = (name: TableName) =>
  name.schema === undefined ? name.table : `${name.schema}.${name.table}`;

/**
 * Whether a discovery pattern matches a table: a glob with a dot is matched against
 * `schema.table`, one without against the table name alone, so `orders_*` means those
 * tables in every discovered schema and `sales.*` every table of one.
 */
export function matchesTable(pattern: string, name: TableName): boolean {
  return matchesGlob(
    pattern,
    pattern.includes('.') ? qualifiedName(name) : name.table,
  );
}
