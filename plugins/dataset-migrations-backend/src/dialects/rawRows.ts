// knex.raw returns each driver's own result shape; these read rows from any of them.

/** The first row of a `knex.raw` result, whatever the driver's result shape. */
export function firstRow(result: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(result)) {
    // mysql2: [rows, fields]; better-sqlite3: rows
    const first = result[0];
    return Array.isArray(first) ? first[0] : first;
  }
  return (result as { rows?: Record<string, unknown>[] }).rows?.[0];
}

/** All rows of a `knex.raw` result, whatever the driver's result shape. */
export function allRows(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) {
    return Array.isArray(result[0])
      ? (result[0] as Record<string, unknown>[])
      : (result as Record<string, unknown>[]);
  }
  return (result as { rows?: Record<string, unknown>[] }).rows ?? [];
}
