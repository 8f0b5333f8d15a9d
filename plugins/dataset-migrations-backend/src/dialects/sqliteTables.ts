import type { Knex } from 'knex';
import type { ListedTable } from './Dialect';
import { foldListedTables } from './listedTables';
import { allRows } from './rawRows';

/**
 * SQLite: the tables of the connection's main database. `sqlite_%` names are SQLite's
 * own; virtual tables are left out since their module (FTS, R*Tree) owns their storage.
 */
export const sqliteTables = {
  async listSchemas(): Promise<string[]> {
    return [];
  },

  async listTables(knex: Knex): Promise<ListedTable[]> {
    const rows = allRows(
      await knex.raw(
        `SELECT m.name AS table_name, p.name AS column_name, p.type AS column_type
         FROM sqlite_master m LEFT JOIN pragma_table_info(m.name) p
         WHERE m.type = 'table' AND m.name NOT LIKE ? ESCAPE '\\'
           AND m.sql NOT LIKE ?
         ORDER BY m.name, p.cid`,
        ['sqlite\\_%', 'CREATE VIRTUAL TABLE%'],
      ),
    );
    return foldListedTables(rows);
  },
};
