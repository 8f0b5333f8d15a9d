import type { Knex } from 'knex';
import { allRows } from './rawRows';
import { stringLiteral } from './common';
import type { Dialect, TableName } from './Dialect';
import {
  asciiLower,
  clashingRelations,
  ownerInMark,
  ownerMark,
} from './ownerMark';

type Naming = Pick<Dialect, 'quote' | 'qualify'>;

/**
 * SQLite: tables, views and indexes share one namespace per database file, and names
 * are compared without regard to ASCII case. Literals rather than bindings: the schema
 * name, quoted into the text, may hold a `?`.
 */
export const sqliteRelations = (naming: Naming) => {
  const master = (name: TableName) =>
    name.schema
      ? `${naming.quote(name.schema)}.sqlite_master`
      : 'sqlite_master';
  return {
    async findRelations(knex: Knex, name: TableName) {
      const rows = allRows(
        await knex.raw(
          `SELECT name, type AS kind FROM ${master(
            name,
          )} WHERE type IN ('table', 'view', 'index') AND name = ${stringLiteral(
            name.table,
            false,
          )} COLLATE NOCASE`,
        ),
      );
      return clashingRelations(
        rows.map(r => ({ name: String(r.name), kind: String(r.kind) })),
        name.table,
        asciiLower,
      );
    },

    /**
     * SQLite has no table comments, but keeps the CREATE TABLE text as written,
     * comments inside it included: the mark goes right after the table's name.
     */
    createOwnedTable(createTable: string, name: TableName, owner: string) {
      const head = `CREATE TABLE ${naming.qualify(name)}`;
      if (!createTable.startsWith(head)) {
        throw new Error(
          `The plan's target DDL does not start with ${head}; generate a new plan`,
        );
      }
      return [
        `${head} /* ${ownerMark(owner)} */${createTable.slice(head.length)}`,
      ];
    },

    async tableOwner(knex: Knex, name: TableName) {
      const rows = allRows(
        await knex.raw(
          `SELECT name, sql FROM ${master(
            name,
          )} WHERE type = 'table' AND name = ${stringLiteral(
            name.table,
            false,
          )} COLLATE NOCASE`,
        ),
      );
      return ownerInMark(rows[0]?.sql);
    },
  };
};
