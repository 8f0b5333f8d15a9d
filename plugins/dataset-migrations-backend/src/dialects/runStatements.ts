import type { Knex } from 'knex';

/** Generated statements, one knex call each, in order: the first error stops the rest. */
export async function runOneByOne(
  db: Knex | Knex.Transaction,
  statements: readonly string[],
): Promise<void> {
  for (const sql of statements) await db.raw(sql);
}

/**
 * Generated statements as one string, one round trip. Without bindings node-postgres
 * sends it with the simple-query protocol, which runs several statements in order and
 * stops at the first error; inside a transaction they stay part of it, outside one
 * PostgreSQL runs the string as one implicit transaction. Not for statements that
 * refuse a transaction block (`CREATE INDEX CONCURRENTLY`, `VACUUM`).
 */
export async function runAsOneScript(
  db: Knex | Knex.Transaction,
  statements: readonly string[],
): Promise<void> {
  if (statements.length === 0) return;
  await db.raw(statements.join(';\n'));
}

/**
 * Generated statements as one transaction on PostgreSQL, in one round trip: the string
 * is sent outside any transaction block, so PostgreSQL runs it as one implicit
 * transaction (all of it or none; `SET LOCAL`, `set_config(…, true)` and
 * `pg_advisory_xact_lock` hold until its end) and an error leaves the pooled connection
 * clean. An explicit BEGIN, the string and COMMIT cost three round trips for the same.
 */
export async function runAsOneTransaction(
  knex: Knex,
  statements: readonly string[],
): Promise<void> {
  await runAsOneScript(knex, statements);
}

/** Generated statements one by one inside a knex transaction (SQLite's, MySQL's). */
export async function runInKnexTransaction(
  knex: Knex,
  statements: readonly string[],
): Promise<void> {
  if (statements.length === 0) return;
  await knex.transaction(trx => runOneByOne(trx, statements));
}
