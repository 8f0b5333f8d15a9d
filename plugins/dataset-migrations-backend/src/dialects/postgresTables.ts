import type { Knex } from 'knex';
import type { ListedTable } from './Dialect';
import { foldListedTables } from './listedTables';
import { allRows } from './rawRows';

// PostgreSQL's own catalogs; `pg_%` also covers pg_toast and the pg_temp_N schemas.
const SYSTEM_SCHEMAS = ['information_schema'];
const SYSTEM_PREFIX = 'pg\\_%';

/**
 * PostgreSQL: ordinary and partitioned tables; a partition is part of its parent's
 * dataset, not one of its own.
 */
export const postgresTables = {
  async listSchemas(knex: Knex): Promise<string[]> {
    const rows = allRows(
      await knex.raw(
        `SELECT nspname AS name FROM pg_namespace
         WHERE nspname NOT LIKE ? AND nspname <> ALL(?) ORDER BY nspname`,
        [SYSTEM_PREFIX, SYSTEM_SCHEMAS],
      ),
    );
    return rows.map(r => String(r.name));
  },

  async listTables(knex: Knex, schemas: string[]): Promise<ListedTable[]> {
    if (schemas.length === 0) return [];
    const rows = allRows(
      await knex.raw(
        `SELECT n.nspname AS schema_name, c.relname AS table_name,
                a.attname AS column_name,
                format_type(a.atttypid, a.atttypmod) AS column_type
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attribute a
           ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
           AND n.nspname = ANY(?)
         ORDER BY n.nspname, c.relname, a.attnum`,
        [schemas],
      ),
    );
    return foldListedTables(rows);
  },
};
