import type { IncomingForeignKeySchema } from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { firstRow } from './rawRows';
import type { TableName } from './Dialect';
import { deferrableOf, referentialAction } from './referentialAction';
import {
  keyColumnNames,
  relationName,
  relationSchema,
} from './postgresCatalogNames';
import { NAMED_RELATION } from './postgresNamedRelation';

/**
 * Foreign keys of other tables that reference `schema.table`. A self-reference is the
 * table's own foreign key, and a partition's copy of its parent's foreign key is not
 * one to move (conparentid), so both stay out. In the order they were made: PostgreSQL
 * fires their triggers on the referenced table in that order (a CASCADE before a NO
 * ACTION check of the same row, or after it), and re-pointing keeps it. pg_constraint
 * has no index on the referenced table, but every foreign key depends on the columns it
 * references (pg_depend, indexed by the referenced object): the candidates come from
 * there, not from a scan of every constraint. Bindings: schema, table, schema, table.
 */
export const POSTGRES_INCOMING_KEYS_SQL = `SELECT con.conname AS name,
              ${relationSchema('con.conrelid')} AS from_schema,
              ${relationName('con.conrelid')} AS from_table,
              ${keyColumnNames('con.conkey', 'con.conrelid')} AS cols,
              ${keyColumnNames('con.confkey', 'con.confrelid')} AS ref_cols,
              con.confupdtype AS on_update, con.confdeltype AS on_delete,
              con.condeferrable AS is_deferrable, con.condeferred AS is_deferred
       FROM pg_constraint con
       WHERE con.oid IN (SELECT d.objid FROM pg_depend d
                         WHERE d.classid = 'pg_constraint'::regclass
                           AND d.refclassid = 'pg_class'::regclass AND d.refobjid = ${NAMED_RELATION})
         AND con.contype = 'f' AND con.confrelid = ${NAMED_RELATION}
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
