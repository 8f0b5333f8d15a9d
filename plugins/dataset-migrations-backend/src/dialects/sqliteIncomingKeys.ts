import type { IncomingForeignKeySchema } from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { allRows } from './rawRows';
import { referentialAction } from './referentialAction';

/**
 * Foreign keys of the other tables of the same file that reference `table`: SQLite
 * keeps them only in each referencing table's definition, so every table's
 * `pragma_foreign_key_list` is read. Table names compare case-insensitively, as
 * SQLite resolves them; a key that names no parent column references the primary key.
 */
export async function sqliteIncomingKeys(
  knex: Knex,
  quote: (name: string) => string,
  schema: string,
  table: string,
  primaryKey: string[],
): Promise<IncomingForeignKeySchema[]> {
  const master =
    schema === 'main' ? 'sqlite_master' : `${quote(schema)}.sqlite_master`;
  const rows = allRows(
    await knex.raw(
      `SELECT m.name AS from_table, f.id AS id, f."from" AS col, f."to" AS ref_col,
              f.on_update AS on_update, f.on_delete AS on_delete
       FROM ${master} m, pragma_foreign_key_list(m.name, ?) f
       WHERE m.type = 'table' AND m.name <> ? COLLATE NOCASE
         AND f."table" = ? COLLATE NOCASE
       ORDER BY m.name, f.id, f.seq`,
      [schema, table, table],
    ),
  );
  const byKey = new Map<string, IncomingForeignKeySchema>();
  for (const r of rows) {
    const key = JSON.stringify([r.from_table, r.id]);
    const fk = byKey.get(key) ?? {
      // SQLite keeps no name it reports for a foreign key: name it by table and position.
      name: `${String(r.from_table)}_fk${Number(r.id)}`,
      from: {
        ...(schema === 'main' ? {} : { schema }),
        table: String(r.from_table),
      },
      columns: [],
      references: {
        ...(schema === 'main' ? {} : { schema }),
        table,
        columns: [],
      },
      onDelete: referentialAction(r.on_delete),
      onUpdate: referentialAction(r.on_update),
    };
    fk.columns.push(String(r.col));
    if (r.ref_col !== null && r.ref_col !== undefined)
      fk.references.columns.push(String(r.ref_col));
    byKey.set(key, fk);
  }
  for (const fk of byKey.values()) {
    if (fk.references.columns.length === 0)
      fk.references.columns = [...primaryKey];
  }
  return [...byKey.values()];
}
