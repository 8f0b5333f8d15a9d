import type { Engine } from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { NAMED_RELATION } from './postgresNamedRelation';
import { firstRow } from './rawRows';

/**
 * Whether a table or a view stands at `schema.table` (no schema: the session's current
 * one). On PostgreSQL one probe of the catalog by name (`to_regclass`): knex's
 * `hasTable` reads `information_schema.tables`, whose privilege filters cost a tiny
 * migration's cutover more than its own DDL. Tables, partitioned and foreign tables and
 * views count, as they do in `information_schema.tables`; an index or a sequence of
 * that name does not. Other engines keep knex's check.
 */
export async function tableExists(
  knex: Knex,
  engine: Engine,
  schema: string | undefined,
  table: string,
): Promise<boolean> {
  if (engine === 'postgres') {
    const row = firstRow(
      await knex.raw(
        `SELECT 1 AS found FROM pg_class c
          WHERE c.oid = ${NAMED_RELATION}
            AND c.relkind IN ('r', 'p', 'f', 'v')`,
        [schema ?? null, table],
      ),
    );
    return row !== undefined;
  }
  return schema
    ? knex.schema.withSchema(schema).hasTable(table)
    : knex.schema.hasTable(table);
}
