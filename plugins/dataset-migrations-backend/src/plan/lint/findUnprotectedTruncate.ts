import type {
  Finding,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';

/**
 * MySQL/MariaDB fire no trigger on TRUNCATE, so a frozen source refuses INSERT, UPDATE
 * and DELETE but not TRUNCATE. With a copy key the freeze adds a guard table whose
 * foreign key makes InnoDB refuse it; without one (or on a storage engine without
 * foreign keys) nothing can, and the plan says so.
 */
export function findUnprotectedTruncate(
  source: TableSchema,
  copyKey: string[],
): Finding | undefined {
  if (source.engine !== 'mysql' || copyKey.length > 0) return undefined;
  return {
    code: 'unprotected-truncate',
    severity: 'warning',
    message: `${source.table} is frozen while it moves (it has no key to catch writes up by), but MySQL/MariaDB cannot refuse a TRUNCATE of it: TRUNCATE fires no trigger, and without a key no guard's foreign key can reference it. A TRUNCATE before cleanup empties what readers of the old name see, and a rollback would then leave it empty. Make sure nothing truncates ${source.table} until the migration has finished, or add a primary key first.`,
  };
}
