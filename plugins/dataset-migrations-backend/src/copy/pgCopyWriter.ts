import type { Knex } from 'knex';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Dialect } from '../plan/dialects/Dialect';

/** One value as PostgreSQL's CSV COPY reads it: unquoted empty is NULL, text always quoted. */
function csvValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number' || typeof value === 'bigint')
    return String(value);
  if (Buffer.isBuffer(value)) return `"\\x${value.toString('hex')}"`;
  return `"${String(value).replace(/"/g, '""')}"`;
}

type PgClient = {
  query(sql: string | object): Promise<unknown> & { on?: unknown };
};

/**
 * Writes a batch into a PostgreSQL table through COPY: into a temporary staging table,
 * then INSERT … ON CONFLICT DO NOTHING on the key, in one transaction. COPY itself
 * cannot skip rows that an earlier, interrupted attempt already wrote; the staging step
 * keeps the batch idempotent while the bulk path does the heavy lifting.
 */
export async function copyIntoPostgres(
  knex: Knex,
  dialect: Dialect,
  table: { schema?: string; table: string },
  columns: string[],
  key: string[],
  rows: Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const connection = (await knex.client.acquireConnection()) as PgClient;
  const target = dialect.qualify(table);
  const stage = dialect.quote('dm_copy_stage');
  const list = columns.map(c => dialect.quote(c)).join(', ');
  try {
    await connection.query('BEGIN');
    await connection.query(
      `CREATE TEMPORARY TABLE ${stage} ON COMMIT DROP AS SELECT ${list} FROM ${target} WITH NO DATA`,
    );
    // One chunk per batch: a write per row would cost a socket write each.
    const csv = rows
      .map(row => columns.map(c => csvValue(row[c])).join(','))
      .join('\n');
    const stream = (connection as any).query(
      copyFrom(`COPY ${stage} (${list}) FROM STDIN (FORMAT csv)`),
    );
    await pipeline(Readable.from([`${csv}\n`]), stream);
    const conflict = key.length
      ? ` ON CONFLICT (${key.map(k => dialect.quote(k)).join(', ')}) DO NOTHING`
      : '';
    await connection.query(
      `INSERT INTO ${target} (${list}) SELECT ${list} FROM ${stage}${conflict}`,
    );
    await connection.query('COMMIT');
  } catch (e) {
    await connection.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    await knex.client.releaseConnection(connection);
  }
}
