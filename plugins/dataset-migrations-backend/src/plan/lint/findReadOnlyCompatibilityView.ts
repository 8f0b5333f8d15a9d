import type {
  CompatibilityMode,
  Finding,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';

/**
 * PostgreSQL and MySQL/MariaDB pass writes through the compatibility view to the new
 * table; SQLite's views take none (it would need INSTEAD OF triggers, which cannot tell
 * an omitted column from a NULL, so defaults and generated keys would not fire). The
 * plan says so: writers of the old name get an error from cutover on.
 */
export function findReadOnlyCompatibilityView(
  source: TableSchema,
  compatibility: CompatibilityMode,
  movedToLabel: string,
): Finding[] {
  if (source.engine !== 'sqlite' || compatibility !== 'view') return [];
  return [
    {
      code: 'read-only-compatibility-view',
      severity: 'warning',
      message: `After cutover a view at ${source.table} serves its readers, but SQLite views take no writes: INSERT, UPDATE and DELETE on ${source.table} fail ("cannot modify ${source.table} because it is a view") until cleanup. Writers must write to ${movedToLabel} from cutover on.`,
    },
  ];
}
