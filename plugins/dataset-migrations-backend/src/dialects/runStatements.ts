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
