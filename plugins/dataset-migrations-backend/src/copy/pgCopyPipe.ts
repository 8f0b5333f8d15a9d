import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { allRows } from '../connections/rawRows';
import type { Dialect, TableName } from '../plan/dialects/Dialect';

/** Rows per committed range: large enough that COPY's start-up cost vanishes. */
export const PIPE_BATCH_ROWS = 50_000;

type PgConnection = {
  query(sql: unknown): any;
  /** knex's pool destroys, instead of reusing, a connection marked with a reason. */
  __knex__disposed?: unknown;
};

export type PipeSides = {
  source: { knex: Knex; dialect: Dialect; table: TableName };
  target: { knex: Knex; dialect: Dialect; table: TableName };
};

/** `(a, b) > ('1', 'x')`: key values travel as text literals, which PostgreSQL types by the column. */
function compareKey(
  dialect: Dialect,
  columns: string[],
  op: '>' | '<=',
  values: string[],
): string {
  return `(${columns.map(c => dialect.quote(c)).join(', ')}) ${op} (${values
    .map(v => dialect.literal(v))
    .join(', ')})`;
}

/**
 * The last key of the next range of `PIPE_BATCH_ROWS` rows after `lastKey`, as text;
 * null when fewer rows than that remain (the range then runs to the table's end).
 */
export async function nextRangeEnd(
  sides: PipeSides,
  plan: Plan,
  lastKey: string[] | null,
  rows = PIPE_BATCH_ROWS,
): Promise<string[] | null> {
  const d = sides.source.dialect;
  const key = plan.copyKey;
  const select = key
    .map((k, i) => `${d.quote(k)}::text AS ${d.quote(`k${i}`)}`)
    .join(', ');
  const where = lastKey ? `WHERE ${compareKey(d, key, '>', lastKey)}` : '';
  const result = await sides.source.knex.raw(
    `SELECT ${select} FROM ${d.qualify(sides.source.table)} ${where}
     ORDER BY ${key.map(k => d.quote(k)).join(', ')}
     OFFSET ${Math.max(0, Math.floor(rows) - 1)} LIMIT 1`,
  );
  const row = allRows(result)[0];
  return row ? key.map((_k, i) => String(row[`k${i}`])) : null;
}

/** The source select of one key range, in the plan's column order. */
export function rangeSelect(
  plan: Plan,
  dialect: Dialect,
  table: TableName,
  after: string[] | null,
  upTo: string[] | null,
): string {
  const conditions = [
    after && compareKey(dialect, plan.copyKey, '>', after),
    upTo && compareKey(dialect, plan.copyKey, '<=', upTo),
  ].filter(Boolean);
  const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  return `SELECT ${plan.columns
    .map(c => c.sourceExpression)
    .join(', ')} FROM ${dialect.qualify(table)}${where}`;
}

/**
 * PostgreSQL to PostgreSQL: one key range streams from the source's `COPY (SELECT …) TO
 * STDOUT` straight into the target's `COPY … FROM STDIN`, the bytes never parsed in
 * between, and commits in the target as one transaction. Memory holds only the
 * stream's buffers, whatever the range's size. Returns the rows written.
 */
export async function pipeRange(
  sides: PipeSides,
  plan: Plan,
  after: string[] | null,
  upTo: string[] | null,
  options: { ignoreKey?: string[] } = {},
): Promise<number> {
  const { source, target } = sides;
  const select = rangeSelect(plan, source.dialect, source.table, after, upTo);
  const columns = plan.columns.map(c => target.dialect.quote(c.target));
  const list = columns.join(', ');
  const table = target.dialect.qualify(target.table);
  const stage = target.dialect.quote('dm_copy_stage');
  const { ignoreKey } = options;
  const reader = (await source.knex.client.acquireConnection()) as PgConnection;
  let writer: PgConnection | undefined;
  let failure: unknown;
  try {
    writer = (await target.knex.client.acquireConnection()) as PgConnection;
    await writer.query('BEGIN');
    try {
      if (ignoreKey) {
        await writer.query(
          `CREATE TEMPORARY TABLE ${stage} ON COMMIT DROP AS SELECT ${list} FROM ${table} WITH NO DATA`,
        );
      }
      const into = writer.query(
        copyFrom(`COPY ${ignoreKey ? stage : table} (${list}) FROM STDIN`),
      );
      const out = reader.query(copyTo(`COPY (${select}) TO STDOUT`));
      await pipeline(out, into);
      if (ignoreKey) {
        // Text keys: the range may hold rows an interrupted attempt already wrote.
        await writer.query(
          `INSERT INTO ${table} (${list}) SELECT ${list} FROM ${stage} ON CONFLICT (${ignoreKey
            .map(k => target.dialect.quote(k))
            .join(', ')}) DO NOTHING`,
        );
      }
      await writer.query('COMMIT');
      return Number(into.rowCount ?? 0);
    } catch (e) {
      await writer.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  } catch (e) {
    failure = e;
    throw e;
  } finally {
    if (failure) {
      // A COPY broken off mid-stream leaves its session in copy mode: never reuse it.
      reader.__knex__disposed = failure;
      if (writer) writer.__knex__disposed = failure;
    }
    await source.knex.client.releaseConnection(reader);
    if (writer) await target.knex.client.releaseConnection(writer);
  }
}
