import type { IncomingForeignKeySchema } from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { firstRow } from './rawRows';
import type { TableName } from './Dialect';
import { deferrableOf, referentialAction } from './referentialAction';

/** The names of a constraint's columns, in key order, as text[] (node-pg parses it). */
const keyColumns = (keys: string, relation: string) =>
  `(SELECT array_agg(a.attname::text ORDER BY k.ord)
    FROM unnest(${keys}) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = ${relation} AND a.attnum = k.attnum)`;

/**
 * Foreign keys of other tables that reference `schema.table`. A self-reference is the
 * table's own foreign key, and a partition's copy of its parent's foreign key is not
 * one to move (conparentid), so both stay out. In the order they were made: PostgreSQL
 * fires their triggers on the referenced table in that order (a CASCADE before a NO
 * ACTION check of the same row, or after it), and re-pointing keeps it. Bindings:
 * schema, table.
 */
export const POSTGRES_INCOMING_KEYS_SQL = `SELECT con.conname AS name, fn.nspname AS from_schema, fc.relname AS from_table,
              ${keyColumns('con.conkey', 'con.conrelid')} AS cols,
              ${keyColumns('con.confkey', 'con.confrelid')} AS ref_cols,
              con.confupdtype AS on_update, con.confdeltype AS on_delete,
              con.condeferrable AS is_deferrable, con.condeferred AS is_deferred
       FROM pg_constraint con
       JOIN pg_class fc ON fc.oid = con.conrelid
       JOIN pg_namespace fn ON fn.oid = fc.relnamespace
       JOIN pg_class rc ON rc.oid = con.confrelid
       JOIN pg_namespace rn ON rn.oid = rc.relnamespace
       WHERE con.contype = 'f' AND rn.nspname = ? AND rc.relname = ?
         AND con.conrelid <> con.confrelid AND con.conparentid = 0
       ORDER BY con.oid`;

/** The foreign keys referencing `schema.table`, from the rows of `POSTGRES_INCOMING_KEYS_SQL`. */
export function postgresIncomingKeysOf(
  schema: string,
  table: string,
  rows: Record<string, unknown>[],
): IncomingForeignKeySchema[] {
  return rows.map(r => ({
    name: String(r.name),
    from: { schema: String(r.from_schema), table: String(r.from_table) },
    columns: (r.cols as string[]).map(String),
    references: {
      schema,
      table,
      columns: (r.ref_cols as string[]).map(String),
    },
    onDelete: referentialAction(r.on_delete),
    onUpdate: referentialAction(r.on_update),
    ...deferrableOf(r),
  }));
}

/** Which table the foreign key `name` of `from` references now; undefined: it does not exist. */
export async function postgresKeyReferences(
  knex: Knex,
  from: TableName,
  name: string,
): Promise<TableName | undefined> {
  const row = firstRow(
    await knex.raw(
      `SELECT rn.nspname AS schema, rc.relname AS "table"
       FROM pg_constraint con
       JOIN pg_class fc ON fc.oid = con.conrelid
       JOIN pg_namespace fn ON fn.oid = fc.relnamespace
       JOIN pg_class rc ON rc.oid = con.confrelid
       JOIN pg_namespace rn ON rn.oid = rc.relnamespace
       WHERE con.contype = 'f' AND fn.nspname = COALESCE(?, current_schema())
         AND fc.relname = ? AND con.conname = ?`,
      [from.schema ?? null, from.table, name],
    ),
  );
  return row
    ? { schema: String(row.schema), table: String(row.table) }
    : undefined;
}
