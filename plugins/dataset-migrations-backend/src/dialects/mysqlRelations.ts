import type { Knex } from 'knex';
import { allRows } from './rawRows';
import { stringLiteral } from './common';
import type { Dialect, TableName } from './Dialect';
import { clashingRelations, ownerInMark, ownerMark } from './ownerMark';

type Naming = Pick<Dialect, 'currentSchema'>;

/**
 * MySQL/MariaDB: tables, views and (MariaDB) sequences share a database's names. Whether
 * `Orders` and `orders` are one name depends on the server's lower_case_table_names.
 */
export const mysqlRelations = (naming: Naming) => ({
  async findRelations(knex: Knex, name: TableName) {
    const schema = name.schema ?? (await naming.currentSchema(knex));
    const rows = allRows(
      await knex.raw(
        `SELECT TABLE_NAME AS name, TABLE_TYPE AS kind, @@lower_case_table_names AS folds
         FROM information_schema.TABLES
         WHERE TABLE_SCHEMA = ? AND LOWER(TABLE_NAME) = LOWER(?)`,
        [schema ?? '', name.table],
      ),
    );
    const folds = rows.some(r => Number(r.folds) !== 0);
    return clashingRelations(
      rows.map(r => ({
        name: String(r.name),
        kind: String(r.kind).toLowerCase().replace('base table', 'table'),
      })),
      name.table,
      folds ? n => n.toLowerCase() : undefined,
    );
  },

  // One statement: the mark is a table option of the CREATE itself, since MySQL commits
  // each DDL statement on its own.
  createOwnedTable: (createTable: string, _name: TableName, owner: string) => [
    `${createTable} COMMENT=${stringLiteral(ownerMark(owner), true)}`,
  ],

  async tableOwner(knex: Knex, name: TableName) {
    const schema = name.schema ?? (await naming.currentSchema(knex));
    const rows = allRows(
      await knex.raw(
        `SELECT TABLE_NAME AS name, TABLE_COMMENT AS mark FROM information_schema.TABLES
         WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND TABLE_TYPE = 'BASE TABLE'`,
        [schema ?? '', name.table],
      ),
    );
    // information_schema may compare case-insensitively: only the exact name counts.
    return ownerInMark(rows.find(r => r.name === name.table)?.mark);
  },
});
