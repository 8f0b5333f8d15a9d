import type { Knex } from 'knex';
import { allRows, firstRow } from './rawRows';
import { stringLiteral } from './common';
import type { Dialect, TableName } from './Dialect';
import {
  asciiLower,
  clashingRelations,
  ownerInMark,
  ownerMark,
} from './ownerMark';

const RELKIND: Record<string, string> = {
  r: 'table',
  p: 'partitioned table',
  v: 'view',
  m: 'materialized view',
  f: 'foreign table',
  S: 'sequence',
  i: 'index',
  I: 'partitioned index',
  c: 'type',
};

/** What PostgreSQL's part of `Dialect` needs from the rest of the dialect. */
type Naming = Pick<Dialect, 'qualify' | 'currentSchema'>;

/**
 * PostgreSQL: relations and stand-alone types share one namespace per schema (a table
 * brings a type of its name). Quoted names keep their case, but an unquoted `Orders`
 * means `orders`: names differing only in case are reported too.
 */
export const postgresRelations = (naming: Naming) => ({
  async findRelations(knex: Knex, name: TableName) {
    const schema = name.schema ?? (await naming.currentSchema(knex));
    const rows = allRows(
      await knex.raw(
        `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = ? AND lower(c.relname) = lower(?)
         UNION ALL
         SELECT t.typname, 'c' FROM pg_type t
         JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE n.nspname = ? AND lower(t.typname) = lower(?)
           AND t.typrelid = 0 AND t.typcategory <> 'A'`,
        [schema ?? '', name.table, schema ?? '', name.table],
      ),
    );
    return clashingRelations(
      rows.map(r => ({
        name: String(r.name),
        kind: RELKIND[String(r.kind)] ?? 'object',
      })),
      name.table,
      asciiLower,
    );
  },

  // DDL is transactional here: the caller runs both in one transaction.
  createOwnedTable: (createTable: string, name: TableName, owner: string) => [
    createTable,
    `COMMENT ON TABLE ${naming.qualify(name)} IS ${stringLiteral(
      ownerMark(owner),
      false,
    )}`,
  ],

  async tableOwner(knex: Knex, name: TableName) {
    const schema = name.schema ?? (await naming.currentSchema(knex));
    const row = firstRow(
      await knex.raw(
        `SELECT obj_description(c.oid, 'pg_class') AS mark FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')`,
        [schema ?? '', name.table],
      ),
    );
    return ownerInMark(row?.mark);
  },
});
