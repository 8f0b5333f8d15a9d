import type { Knex } from 'knex';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Dialect } from '../plan/dialects/Dialect';

// COPY's text format: tab between values, newline between rows, \N for NULL, and these
// four characters escaped with a backslash inside a value.
const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

/** One value as PostgreSQL's text-format COPY reads it. */
export function copyTextValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number' || typeof value === 'bigint')
    return String(value);
  // bytea's hex input `\x…`, its backslash escaped for the text format.
  if (Buffer.isBuffer(value)) return `\\\\x${value.toString('hex')}`;
  const text = String(value);
  return SPECIAL.test(text)
    ? text.replace(/[\\\t\n\r]/g, c => ESCAPES[c])
    : text;
}

type PgClient = {
  query(sql: string | object): any;
  __knex__disposed?: unknown;
};

/**
 * Writes a batch into a PostgreSQL table through COPY, in one transaction. With
 * `ignoreKey`, rows go through a temporary staging table and `INSERT … ON CONFLICT DO
 * NOTHING` on that key, for callers that cannot clear a replayed batch's rows first;
 * without it they go straight into the table.
 */
export async function copyIntoPostgres(
  knex: Knex,
  dialect: Dialect,
  table: { schema?: string; table: string },
  columns: string[],
  /** The rows in COPY's text format, one line each (see `copyTextValue`). */
  text: string,
  options: { ignoreKey?: string[] } = {},
): Promise<void> {
  if (text.length === 0) return;
  const connection = (await knex.client.acquireConnection()) as PgClient;
  const target = dialect.qualify(table);
  const stage = dialect.quote('dm_copy_stage');
  const list = columns.map(c => dialect.quote(c)).join(', ');
  const { ignoreKey } = options;
  try {
    await connection.query('BEGIN');
    if (ignoreKey) {
      await connection.query(
        `CREATE TEMPORARY TABLE ${stage} ON COMMIT DROP AS SELECT ${list} FROM ${target} WITH NO DATA`,
      );
    }
    // One chunk per batch: a write per row would cost a socket write each.
    const stream = connection.query(
      copyFrom(`COPY ${ignoreKey ? stage : target} (${list}) FROM STDIN`),
    );
    await pipeline(Readable.from([text]), stream);
    if (ignoreKey) {
      const conflict = ignoreKey.length
        ? ` ON CONFLICT (${ignoreKey
            .map(k => dialect.quote(k))
            .join(', ')}) DO NOTHING`
        : '';
      await connection.query(
        `INSERT INTO ${target} (${list}) SELECT ${list} FROM ${stage}${conflict}`,
      );
    }
    await connection.query('COMMIT');
  } catch (e) {
    await connection.query('ROLLBACK').catch(() => undefined);
    // A COPY broken off mid-stream can leave the session unusable: never reuse it.
    connection.__knex__disposed = e;
    throw e;
  } finally {
    await knex.client.releaseConnection(connection);
  }
}
