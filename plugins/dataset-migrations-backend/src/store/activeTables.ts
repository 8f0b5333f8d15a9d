import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import crypto from 'node:crypto';

/** A row of `dm_active_tables`: one physical table an active migration touches. */
export type ActiveTableRow = {
  table_key: string;
  table_ref: string;
  migration_id: string;
};

type TableAddress = { connection: string; schema?: string; table: string };

/** `warehouse:public.page_views`, as people read it in messages. */
export const tableRef = ({ connection, schema, table }: TableAddress) =>
  `${connection}:${schema ? `${schema}.` : ''}${table}`;

/**
 * The guard's key for a table: connection, schema and table, lower-cased (MariaDB and
 * unquoted PostgreSQL names fold case, so two spellings can be one table; being
 * conservative costs at most a refused start). Hashed to fit every engine's primary key.
 * The knex migration that created the table spells the same key.
 */
export function tableKey({ connection, schema, table }: TableAddress): string {
  return crypto
    .createHash('sha256')
    .update(
      [connection, schema ?? '', table]
        .map(part => part.toLowerCase())
        .join('\u0000'),
    )
    .digest('hex');
}

/** The tables a migration of `plan` holds while active: its source and its target. */
export function activeTableRows(
  plan: Plan,
  migrationId: string,
): ActiveTableRow[] {
  const rows = new Map<string, ActiveTableRow>();
  for (const side of [plan.source, plan.target]) {
    const key = tableKey(side);
    rows.set(key, {
      table_key: key,
      table_ref: tableRef(side),
      migration_id: migrationId,
    });
  }
  return [...rows.values()];
}
