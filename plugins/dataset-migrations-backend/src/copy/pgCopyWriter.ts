import type { Knex } from 'knex';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Dialect, TableName } from '../dialects/Dialect';
import { copyInStatement } from '../plan/sql/keyRangeSql';

// COPY's text format: tab between values, newline between rows, \N for NULL, and these
// four characters escaped with a backslash inside a value.
const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

const escaped = (text: string) =>
  SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, c => ESCAPES[c]) : text;

/** One value as PostgreSQL's text-format COPY reads it. */
export function copyTextValue(value: unknown): string {
  // Text first: most values of a copy are, and it needs no other test.
  if (typeof value === 'string') return escaped(value);
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number' || typeof value === 'bigint')
    return String(value);
  // bytea's hex input `\x…`, its backslash escaped for the text format.
  if (Buffer.isBuffer(value)) return `\\\\x${value.toString('hex')}`;
  return escaped(String(value));
}

/** A node-pg connection as knex hands it out. */
export type PgConnection = {
  query(sql: string | object): any;
  /** knex's pool destroys, instead of reusing, a connection marked with a reason. */
  __knex__disposed?: unknown;
};

const STAGE: TableName = { table: 'dm_copy_stage' };

/**
 * Runs `copy`, which streams rows into the `COPY … FROM STDIN` statement it is given,
 * inside `trx`: straight into `table`, or, with `ignoreKey`, into a temporary staging
 * table whose rows then go on with `INSERT … ON CONFLICT DO NOTHING` on that key, for
 * callers that cannot clear a replayed batch's rows first (text keys, whose order two
 * databases' collations may disagree on). Returns what `copy` returns: the rows sent.
 */
export async function copyIntoTable(
  trx: Knex.Transaction,
  dialect: Dialect,
  table: TableName,
  columns: string[],
  copy: (copyIn: string) => Promise<number>,
  ignoreKey?: string[],
): Promise<number> {
  if (!ignoreKey) return copy(copyInStatement(dialect, table, columns));
  const list = columns.map(c => dialect.quote(c)).join(', ');
  await trx.raw(
    `CREATE TEMPORARY TABLE ${dialect.qualify(
      STAGE,
    )} ON COMMIT DROP AS SELECT ${list} FROM ${dialect.qualify(
      table,
    )} WITH NO DATA`,
  );
  const copied = await copy(copyInStatement(dialect, STAGE, columns));
  const conflict = ignoreKey.length
    ? ` ON CONFLICT (${ignoreKey
        .map(k => dialect.quote(k))
        .join(', ')}) DO NOTHING`
    : '';
  await trx.raw(
    `INSERT INTO ${dialect.qualify(
      table,
    )} (${list}) SELECT ${list} FROM ${dialect.qualify(STAGE)}${conflict}`,
  );
  return copied;
}

/** Streams COPY text into `copyIn` on the transaction's own connection. */
async function streamText(
  trx: Knex.Transaction,
  copyIn: string,
  text: string,
): Promise<number> {
  const connection = (await trx.client.acquireConnection()) as PgConnection;
  try {
    const into = connection.query(copyFrom(copyIn));
    // One chunk per batch: a write per row would cost a socket write each.
    await pipeline(Readable.from([text]), into);
    return Number(into.rowCount ?? 0);
  } catch (e) {
    // A COPY broken off mid-stream can leave the session unusable: never reuse it.
    connection.__knex__disposed = e;
    throw e;
  } finally {
    await trx.client.releaseConnection(connection);
  }
}

/**
 * Writes a batch of rows, already in COPY's text format (one line each, see
 * `copyTextValue`), into a PostgreSQL table in one transaction; see `copyIntoTable`
 * for `ignoreKey`.
 */
export async function copyIntoPostgres(
  knex: Knex,
  dialect: Dialect,
  table: TableName,
  columns: string[],
  text: string,
  options: { ignoreKey?: string[] } = {},
): Promise<void> {
  if (text.length === 0) return;
  await knex.transaction(trx =>
    copyIntoTable(
      trx,
      dialect,
      table,
      columns,
      copyIn => streamText(trx, copyIn, text),
      options.ignoreKey,
    ),
  );
}
