import type { ListedTable } from './Dialect';

/**
 * Folds rows of (schema, table, column, type), one per column in table and column
 * order (a table without columns: one row with a null column), into tables.
 */
export function foldListedTables(
  rows: Record<string, unknown>[],
): ListedTable[] {
  const tables: ListedTable[] = [];
  let last: ListedTable | undefined;
  for (const row of rows) {
    const schema =
      row.schema_name === undefined || row.schema_name === null
        ? undefined
        : String(row.schema_name);
    const table = String(row.table_name);
    if (!last || last.schema !== schema || last.table !== table) {
      last = {
        ...(schema === undefined ? {} : { schema }),
        table,
        columns: [],
      };
      tables.push(last);
    }
    if (row.column_name !== null && row.column_name !== undefined) {
      last.columns.push({
        name: String(row.column_name),
        declaredType: String(row.column_type ?? ''),
      });
    }
  }
  return tables;
}
