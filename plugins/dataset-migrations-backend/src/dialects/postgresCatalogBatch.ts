import type { Knex } from 'knex';

/** A catalog read: SQL with `?` placeholders and their values. */
export type CatalogQuery = { sql: string; bindings: Array<string | null> };

/**
 * A value as a PostgreSQL literal that reads the same whatever
 * `standard_conforming_strings` says: an `E'…'` string with quotes and backslashes
 * escaped, or NULL. A `?` is written `\x3f`: knex's PostgreSQL client turns every `?`
 * of a statement into `$1`…, inside literals too (see positionPgBindings), and eats
 * the backslashes before one.
 */
function escapedLiteral(value: string | null): string {
  if (value === null) return 'NULL';
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "''")
    .replace(/\?/g, '\\x3f');
  return `E'${escaped}'`;
}

/** The query with its values written in as literals. */
function inline({ sql, bindings }: CatalogQuery): string {
  let next = 0;
  const text = sql.replace(/\?/g, () => {
    if (next >= bindings.length) {
      throw new Error('A catalog query has more placeholders than values');
    }
    return escapedLiteral(bindings[next++]);
  });
  if (next !== bindings.length) {
    throw new Error('A catalog query has fewer placeholders than values');
  }
  return text;
}

/**
 * Several reads of PostgreSQL's catalog in one round trip, each query's rows in order:
 * the queries, their values written in as escaped literals, go as one simple-query
 * string, which PostgreSQL runs in one implicit transaction (one snapshot of the
 * catalog) and node-postgres answers with one result per statement. Reading a table's
 * columns, keys and constraints by name takes well under a millisecond each; the round
 * trips around them cost more, and a campaign plans thousands of tables.
 */
export async function readCatalog(
  knex: Knex,
  queries: CatalogQuery[],
): Promise<Array<Record<string, unknown>[]>> {
  const result = await knex.raw(queries.map(inline).join(';\n'));
  const results = (Array.isArray(result) ? result : [result]) as Array<{
    rows?: Record<string, unknown>[];
  }>;
  if (results.length !== queries.length) {
    throw new Error(
      `Expected ${queries.length} results from the catalog, got ${results.length}`,
    );
  }
  return results.map(r => r.rows ?? []);
}
