import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import type { Dialect, TableName } from '../dialects/Dialect';
import type { LogicalKind } from '../dialects/LogicalType';
import { keyComparison } from '../plan/sql/keyRangeSql';
import { allRows } from '../dialects/rawRows';
import { keyLiteral } from './keyLiteral';

// Kinds that every engine orders the same way. Text is left out on purpose: two
// databases' collations can order the same strings differently.
const COLLATION_FREE: LogicalKind[] = [
  'smallint',
  'integer',
  'bigint',
  'decimal',
  'date',
  'timestamp',
];

/**
 * Whether a key range in the source is the same key range in the target: every key
 * column reaches the target unchanged (no cast, no default fill) and is of a kind both
 * engines order alike. Only then can a resumed copy clear the target's unconfirmed rows
 * by key instead of guarding every row with an insert-or-ignore.
 */
export function isKeyRangeShared(
  plan: Plan,
  sourceDialect: Dialect,
  targetDialect: Dialect,
): boolean {
  return (
    plan.copyKey.length > 0 &&
    plan.copyKey.every(k => {
      const column = plan.columns.find(c => c.source === k);
      return (
        column?.sourceExpression === sourceDialect.quote(k) &&
        COLLATION_FREE.includes(targetDialect.toLogical(column.targetType).kind)
      );
    })
  );
}

/** Target names of the copy-key columns, in key order. */
export function targetKeyColumns(plan: Plan): string[] {
  return plan.copyKey.map(
    k => plan.columns.find(c => c.source === k)?.target ?? k,
  );
}

/**
 * Removes the target rows after the last checkpointed key: a batch that committed in
 * the target but whose checkpoint was lost with a crash. The copy then writes that
 * range again, so no row is doubled and none is skipped.
 */
export async function clearUnconfirmedRows(
  knex: Knex,
  dialect: Dialect,
  plan: Plan,
  table: TableName,
  lastKey: unknown[] | null,
): Promise<number> {
  const key = targetKeyColumns(plan);
  // Literals, not bindings: knex would take a `?` in a quoted key name for one.
  const where = lastKey
    ? ` WHERE ${keyComparison(
        dialect,
        key,
        '>',
        lastKey.map(v => keyLiteral(dialect, v)),
      )}`
    : '';
  const result = await knex.raw(
    `DELETE FROM ${dialect.qualify(table)}${where}`,
  );
  return affectedRows(result);
}

/** Rows a write statement changed, whatever the driver's result shape. */
export function affectedRows(result: unknown): number {
  if (Array.isArray(result)) {
    // mysql2: [ResultSetHeader, fields]
    const header = result[0] as { affectedRows?: number } | undefined;
    return header?.affectedRows ?? 0;
  }
  const r = result as { rowCount?: number; changes?: number };
  return r.rowCount ?? r.changes ?? 0;
}

/** A table on one side, as the key-range helpers read it. */
export type KeyedTable = {
  knex: Knex;
  dialect: Dialect;
  table: TableName;
  key: string[];
};

/**
 * The table's last key now, in key order, as its driver reads it; null when empty.
 * A copy stops there: rows written after it started are the catch-up's, and a copy
 * that chased them could run for as long as writers keep inserting.
 */
export async function lastKeyOf(source: KeyedTable): Promise<unknown[] | null> {
  const { knex, dialect: d, table, key } = source;
  const row = allRows(
    await knex.raw(
      `SELECT ${key.map(k => d.quote(k)).join(', ')} FROM ${d.qualify(
        table,
      )} ORDER BY ${key.map(k => `${d.quote(k)} DESC`).join(', ')} ${d.limit(
        1,
      )}`,
    ),
  )[0];
  return row ? key.map(k => row[k]) : null;
}

/** Whether the table holds a key after `after` and up to `upTo`, in its own order. */
export async function hasKeysBetween(
  source: KeyedTable,
  after: unknown[],
  upTo: unknown[],
): Promise<boolean> {
  const { knex, dialect: d, table, key } = source;
  const bound = (values: unknown[]) => values.map(v => keyLiteral(d, v));
  const rows = allRows(
    await knex.raw(
      `SELECT 1 AS ${d.quote('found')} FROM ${d.qualify(
        table,
      )} WHERE ${keyComparison(d, key, '>', bound(after))} AND ${keyComparison(
        d,
        key,
        '<=',
        bound(upTo),
      )} ${d.limit(1)}`,
    ),
  );
  return rows.length > 0;
}
