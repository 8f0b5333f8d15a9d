import type { Knex } from 'knex';
import type { ListedTable } from './Dialect';
import { foldListedTables } from './listedTables';
import { allRows } from './rawRows';

// The server's own databases.
const SYSTEM_SCHEMAS = [
  'mysql',
  'information_schema',
  'performance_schema',
  'sys',
];

/**
 * MySQL/MariaDB: databases are the schemas; base tables and MariaDB's system-versioned
 * tables are datasets, views and sequences are not.
 */
export const mysqlTables = {
  async listSchemas(knex: Knex): Promise<string[]> {
    const rows = allRows(
      await knex.raw(
        `SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA
         WHERE SCHEMA_NAME NOT IN (${SYSTEM_SCHEMAS.map(() => '?').join(', ')})
         ORDER BY SCHEMA_NAME`,
        SYSTEM_SCHEMAS,
      ),
    );
    return rows.map(r => String(r.name));
  },

  async listTables(knex: Knex, schemas: string[]): Promise<ListedTable[]> {
    if (schemas.length === 0) return [];
    const rows = allRows(
      await knex.raw(
        `SELECT t.TABLE_SCHEMA AS schema_name, t.TABLE_NAME AS table_name,
                c.COLUMN_NAME AS column_name, c.COLUMN_TYPE AS column_type
         FROM information_schema.TABLES t
         LEFT JOIN information_schema.COLUMNS c
           ON c.TABLE_SCHEMA = t.TABLE_SCHEMA AND c.TABLE_NAME = t.TABLE_NAME
         WHERE t.TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')
           AND t.TABLE_SCHEMA IN (${schemas.map(() => '?').join(', ')})
         ORDER BY t.TABLE_SCHEMA, t.TABLE_NAME, c.ORDINAL_POSITION`,
        schemas,
      ),
    );
    return foldListedTables(rows);
  },
};
