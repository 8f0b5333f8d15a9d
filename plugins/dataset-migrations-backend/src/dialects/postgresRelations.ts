import type { Knex } from 'knex';
import { allRows, firstRow } from './rawRows';
import { stringLiteral } from './common';
import { NAMED_RELATION } from './postgresNamedRelation';
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

const isAsciiLetter = (c: string) => /^[A-Za-z]$/.test(c);

/**
 * Ranges of names, in the byte order of PostgreSQL's `name` (collation "C"), that
 * together hold every name equal to `name` but for ASCII case: the prefix up to and
 * with its first `fixed` letters in each of its case spellings, then the rest from all
 * upper case (the least such spelling: upper-case letters sort first) to all lower case
 * (the greatest). Each range is a scan of the catalog's (name, namespace) index, where
 * comparing `lower(name)` read every row of the catalog.
 */
export function caseVariantRanges(
  name: string,
  fixed = 3,
): Array<[string, string]> {
  let prefixes = [''];
  let letters = 0;
  let end = 0;
  while (end < name.length && letters < fixed) {
    const c = name[end];
    if (isAsciiLetter(c)) {
      letters++;
      prefixes = prefixes.flatMap(p => [
        p + c.toUpperCase(),
        p + c.toLowerCase(),
      ]);
    } else {
      prefixes = prefixes.map(p => p + c);
    }
    end++;
  }
  const rest = name.slice(end);
  const least = rest.replace(/[a-z]/g, c => c.toUpperCase());
  const greatest = asciiLower(rest);
  return prefixes.map(p => [p + least, p + greatest]);
}

/** `column` within one of `ranges`, as SQL with its bindings (compared as names). */
function withinRanges(column: string, ranges: Array<[string, string]>) {
  return {
    sql: `(${ranges
      .map(() => `${column} BETWEEN CAST(? AS name) AND CAST(? AS name)`)
      .join(' OR ')})`,
    bindings: ranges.flat(),
  };
}

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
    // The ranges only let the catalogs' name indexes find the candidates: the
    // lower() comparison (and clashingRelations below) still decide, as before.
    const ranges = caseVariantRanges(name.table);
    const relations = withinRanges('c.relname', ranges);
    const types = withinRanges('t.typname', ranges);
    const rows = allRows(
      await knex.raw(
        `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c
         WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = ?)
           AND ${relations.sql} AND lower(c.relname) = lower(?)
         UNION ALL
         SELECT t.typname, 'c' FROM pg_type t
         WHERE t.typnamespace = (SELECT oid FROM pg_namespace WHERE nspname = ?)
           AND ${types.sql} AND lower(t.typname) = lower(?)
           AND t.typrelid = 0 AND t.typcategory <> 'A'`,
        [
          schema ?? '',
          ...relations.bindings,
          name.table,
          schema ?? '',
          ...types.bindings,
          name.table,
        ],
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
    // No current schema (an empty search_path): no table of that name to own.
    if (schema === undefined) return undefined;
    const row = firstRow(
      await knex.raw(
        `SELECT obj_description(c.oid, 'pg_class') AS mark FROM pg_class c
         WHERE c.oid = ${NAMED_RELATION} AND c.relkind IN ('r', 'p')`,
        [schema, name.table],
      ),
    );
    return ownerInMark(row?.mark);
  },
});
