import { toSnakeCase } from '../plan/rules/naming';
import crypto from 'node:crypto';
import type { TableName } from '../dialects/Dialect';

const MAX_NAME = 63;
const HASH_LENGTH = 8;

/** `customerAccounts` -> `customer-accounts`: lower case, other characters as `-`. */
function slug(part: string): string {
  return toSnakeCase(part)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const hashOf = (connection: string, name: TableName) =>
  crypto
    .createHash('sha256')
    .update(JSON.stringify([connection, name.schema ?? null, name.table]))
    .digest('hex')
    .slice(0, HASH_LENGTH);

/**
 * Catalog names (`metadata.name`) for a connection's discovered tables, in their order:
 * `<connection>.<schema>.<table>` in lower-case kebab form (`warehouse.customer-accounts`),
 * which the catalog's rules accept (at most 63 characters of `[a-z0-9]` joined by single
 * `-` or `.`). The name carries a hash of the exact location when it had to be
 * shortened, when a part had no letter or digit to keep, or when two tables of the run
 * map to one name (`Orders` and `orders` on PostgreSQL), so each table keeps its own.
 */
export function datasetEntityNames(
  connection: string,
  tables: TableName[],
): string[] {
  const bases = tables.map(t => {
    const parts = [connection, t.schema, t.table]
      .filter((p): p is string => p !== undefined)
      .map(slug);
    return {
      base: parts.map(p => p || 'x').join('.'),
      isLossy: parts.some(p => p === ''),
    };
  });
  const counts = new Map<string, number>();
  for (const { base } of bases) counts.set(base, (counts.get(base) ?? 0) + 1);
  return bases.map(({ base, isLossy }, i) => {
    const isShared = (counts.get(base) ?? 0) > 1;
    if (!isShared && !isLossy && base.length <= MAX_NAME) return base;
    const head = base
      .slice(0, MAX_NAME - HASH_LENGTH - 1)
      .replace(/[-.]+$/, '');
    return `${head}-${hashOf(connection, tables[i])}`;
  });
}
