import type {
  CheckSchema,
  ForeignKeySchema,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { allRows } from './rawRows';

/**
 * Adds the table's own constraints to an introspected MySQL/MariaDB table: foreign
 * keys (columns in key order) and CHECK constraints. MariaDB reports column-level
 * CHECKs too (named after their column), MySQL only table-level ones, and only MariaDB
 * names the table in CHECK_CONSTRAINTS (its check names are per table, MySQL's per
 * database). A unique index is the engine's UNIQUE constraint itself: indexes stay as
 * introspected.
 */
export async function withMysqlConstraints(
  knex: Knex,
  isMariaDb: boolean,
  table: TableSchema,
): Promise<TableSchema> {
  const exactly = `AND CAST(k.TABLE_SCHEMA AS BINARY) = CAST(? AS BINARY) AND CAST(k.TABLE_NAME AS BINARY) = CAST(? AS BINARY)`;
  const keyRows = allRows(
    await knex.raw(
      `SELECT k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS col,
              k.REFERENCED_TABLE_SCHEMA AS refSchema, k.REFERENCED_TABLE_NAME AS refTable,
              k.REFERENCED_COLUMN_NAME AS refCol, r.UPDATE_RULE AS onUpdate, r.DELETE_RULE AS onDelete
       FROM information_schema.KEY_COLUMN_USAGE k
       JOIN information_schema.REFERENTIAL_CONSTRAINTS r
         ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
        AND r.TABLE_NAME = k.TABLE_NAME
       WHERE k.TABLE_SCHEMA = ? AND k.TABLE_NAME = ? ${exactly}
         AND k.REFERENCED_TABLE_NAME IS NOT NULL
       ORDER BY k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
      [table.schema ?? null, table.table, table.schema ?? null, table.table],
    ),
  );
  const byName = new Map<string, ForeignKeySchema>();
  for (const row of keyRows) {
    const name = String(row.name);
    const key = byName.get(name) ?? {
      name,
      columns: [],
      references: {
        schema: String(row.refSchema),
        table: String(row.refTable),
        columns: [],
      },
      onDelete: String(row.onDelete),
      onUpdate: String(row.onUpdate),
    };
    key.columns.push(String(row.col));
    key.references.columns.push(String(row.refCol));
    byName.set(name, key);
  }
  const checkRows = allRows(
    await knex.raw(
      isMariaDb
        ? `SELECT CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause
           FROM information_schema.CHECK_CONSTRAINTS
           WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?
             AND CAST(CONSTRAINT_SCHEMA AS BINARY) = CAST(? AS BINARY)
             AND CAST(TABLE_NAME AS BINARY) = CAST(? AS BINARY)
           ORDER BY CONSTRAINT_NAME`
        : `SELECT c.CONSTRAINT_NAME AS name, c.CHECK_CLAUSE AS clause
           FROM information_schema.TABLE_CONSTRAINTS k
           JOIN information_schema.CHECK_CONSTRAINTS c
             ON c.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = k.CONSTRAINT_NAME
           WHERE k.TABLE_SCHEMA = ? AND k.TABLE_NAME = ? ${exactly}
             AND k.CONSTRAINT_TYPE = 'CHECK'
           ORDER BY c.CONSTRAINT_NAME`,
      [table.schema ?? null, table.table, table.schema ?? null, table.table],
    ),
  );
  const checks: CheckSchema[] = checkRows.map(row => ({
    name: String(row.name),
    expression: String(row.clause),
  }));
  return { ...table, foreignKeys: [...byName.values()], checks };
}
