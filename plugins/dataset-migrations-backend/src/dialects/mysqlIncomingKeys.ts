import type { IncomingForeignKeySchema } from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { allRows, firstRow } from './rawRows';
import { truncateGuardName } from './names';
import type { TableName } from './Dialect';
import { referentialAction } from './referentialAction';

/**
 * Foreign keys of other tables (in any database of the server) that reference `db.table`,
 * compared byte for byte as the rest of the MySQL introspection does. A self-reference
 * is the table's own, and the TRUNCATE guard a migration of the table puts up is
 * the migration's own: both stay out.
 */
export async function mysqlIncomingKeys(
  knex: Knex,
  db: string,
  table: string,
): Promise<IncomingForeignKeySchema[]> {
  const rows = allRows(
    await knex.raw(
      `SELECT rc.CONSTRAINT_SCHEMA AS fromSchema, rc.TABLE_NAME AS fromTable, rc.CONSTRAINT_NAME AS name,
              rc.UPDATE_RULE AS onUpdate, rc.DELETE_RULE AS onDelete,
              k.COLUMN_NAME AS col, k.REFERENCED_COLUMN_NAME AS refCol
       FROM information_schema.REFERENTIAL_CONSTRAINTS rc
       JOIN information_schema.KEY_COLUMN_USAGE k
         ON k.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA AND k.TABLE_NAME = rc.TABLE_NAME
        AND k.CONSTRAINT_NAME = rc.CONSTRAINT_NAME AND k.REFERENCED_TABLE_NAME IS NOT NULL
       WHERE rc.UNIQUE_CONSTRAINT_SCHEMA = ? AND rc.REFERENCED_TABLE_NAME = ?
         AND CAST(rc.UNIQUE_CONSTRAINT_SCHEMA AS BINARY) = CAST(? AS BINARY)
         AND CAST(rc.REFERENCED_TABLE_NAME AS BINARY) = CAST(? AS BINARY)
       ORDER BY rc.CONSTRAINT_SCHEMA, rc.TABLE_NAME, rc.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
      [db, table, db, table],
    ),
  );
  const byKey = new Map<string, IncomingForeignKeySchema>();
  for (const r of rows) {
    const from = { schema: String(r.fromSchema), table: String(r.fromTable) };
    if (from.schema === db && from.table === table) continue;
    if (from.schema === db && from.table === truncateGuardName(table)) continue;
    const key = JSON.stringify([from.schema, from.table, String(r.name)]);
    const fk = byKey.get(key) ?? {
      name: String(r.name),
      from,
      columns: [],
      references: { schema: db, table, columns: [] },
      onDelete: referentialAction(r.onDelete),
      onUpdate: referentialAction(r.onUpdate),
    };
    fk.columns.push(String(r.col));
    fk.references.columns.push(String(r.refCol));
    byKey.set(key, fk);
  }
  return [...byKey.values()];
}

/** Which table the foreign key `name` of `from` references now; undefined: it does not exist. */
export async function mysqlKeyReferences(
  knex: Knex,
  from: TableName,
  name: string,
): Promise<TableName | undefined> {
  const row = firstRow(
    await knex.raw(
      `SELECT UNIQUE_CONSTRAINT_SCHEMA AS db, REFERENCED_TABLE_NAME AS tbl
       FROM information_schema.REFERENTIAL_CONSTRAINTS
       WHERE CONSTRAINT_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND CONSTRAINT_NAME = ?
         AND CAST(TABLE_NAME AS BINARY) = CAST(? AS BINARY)
         AND CAST(CONSTRAINT_NAME AS BINARY) = CAST(? AS BINARY)`,
      [from.schema ?? null, from.table, name, from.table, name],
    ),
  );
  return row ? { schema: String(row.db), table: String(row.tbl) } : undefined;
}
