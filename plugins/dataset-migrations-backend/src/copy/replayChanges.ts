import type { Knex } from 'knex';
import type { CopyContext } from './CopyContext';
import { tableOf } from './CopyContext';
import { allRows } from '../dialects/rawRows';
import { logKeyColumns } from '../dialects/common';
import { changeLogOf } from '../plan/sql/generateArtifacts';
import { valueConverter } from './convertValue';
import { targetKeyColumns } from './keyRange';
import { createRowWriter } from './rowWriter';
import { keyLiteral } from './keyLiteral';
import { catchUpStatementTemplates } from './reviewedStatements';
import { deleteKeysSql } from './tableWrites';

/** Logged changes per catch-up batch. */
export const CATCH_UP_BATCH = 1000;

// Keys per … WHERE key IN (…): within every engine's bound-parameter limit.
export const KEYS_PER_STATEMENT = 500;

export type LogEntry = { seq: number; key: unknown[] };

/** The oldest logged changes, in sequence order. */
export async function readLog(
  ctx: CopyContext,
  limit: number,
): Promise<LogEntry[]> {
  const { dialect: d, knex } = ctx.source;
  const keys = logKeyColumns(ctx.plan.copyKey.length);
  const rows = allRows(
    await knex.raw(
      `SELECT ${[d.quote('dm_seq'), ...keys.map(k => d.quote(k))].join(
        ', ',
      )} FROM ${d.qualify(
        changeLogOf(tableOf(ctx.plan, 'source')),
      )} ORDER BY ${d.quote('dm_seq')} ${d.limit(limit)}`,
    ),
  );
  return rows.map(r => ({
    seq: Number(r.dm_seq),
    key: keys.map(k => r[k]),
  }));
}

/**
 * The distinct keys the log holds, as the source stores them, read through `runner`
 * (a transaction, to see the log in the same snapshot as a validation query). With
 * `among`, only those of these keys; with `exceptSeqs`, leaving those entries out.
 */
export async function loggedKeys(
  ctx: CopyContext,
  runner: Knex | Knex.Transaction,
  options: { among?: unknown[][]; exceptSeqs?: number[] } = {},
): Promise<unknown[][]> {
  const { dialect: d } = ctx.source;
  const columns = logKeyColumns(ctx.plan.copyKey.length);
  const quoted = columns.map(c => d.quote(c));
  const log = d.qualify(changeLogOf(tableOf(ctx.plan, 'source')));
  const except = options.exceptSeqs?.length
    ? `${d.quote('dm_seq')} NOT IN (${options.exceptSeqs
        .map(seq => String(Number(seq)))
        .join(', ')})`
    : undefined;
  const chunks = options.among
    ? Array.from(
        { length: Math.ceil(options.among.length / KEYS_PER_STATEMENT) },
        (_, i) =>
          options.among!.slice(
            i * KEYS_PER_STATEMENT,
            (i + 1) * KEYS_PER_STATEMENT,
          ),
      )
    : [undefined];
  const unique = new Map<string, unknown[]>();
  for (const chunk of chunks) {
    const conditions = [
      except,
      chunk &&
        `(${quoted.join(', ')}) IN (${chunk
          .map(k => `(${k.map(v => keyLiteral(d, v)).join(', ')})`)
          .join(', ')})`,
    ].filter(Boolean);
    const rows = allRows(
      await runner.raw(
        `SELECT DISTINCT ${quoted.join(', ')} FROM ${log}${
          conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''
        }`,
      ),
    );
    for (const row of rows) {
      const key = columns.map(c => row[c]);
      unique.set(keyId(key), key);
    }
  }
  return [...unique.values()];
}

/** One string per key value, the same whichever query read it, for sets of keys. */
export function keyId(key: unknown[]): string {
  return JSON.stringify(
    key.map(v => (Buffer.isBuffer(v) ? v.toString('hex') : String(v))),
  );
}

/** Each logged key once, in the order first logged. */
export function distinctKeys(entries: LogEntry[]): unknown[][] {
  const unique = new Map<string, unknown[]>();
  for (const entry of entries) unique.set(keyId(entry.key), entry.key);
  return [...unique.values()];
}

/** The logged keys as the target stores them, each once. */
function targetKeys(ctx: CopyContext, entries: LogEntry[]): unknown[][] {
  const { plan } = ctx;
  const { dialect } = ctx.target;
  const converters = plan.copyKey.map(k => {
    const column = plan.columns.find(c => c.source === k);
    return column
      ? valueConverter(dialect.engine, dialect.toLogical(column.targetType))
      : (v: unknown) => v;
  });
  const unique = new Map<string, unknown[]>();
  for (const entry of entries) {
    const key = entry.key.map((v, i) => converters[i](v));
    unique.set(JSON.stringify(key), key);
  }
  return [...unique.values()];
}

async function deleteKeys(
  trx: Knex.Transaction,
  ctx: CopyContext,
  keys: unknown[][],
): Promise<void> {
  const columns = targetKeyColumns(ctx.plan);
  for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT) {
    await trx.raw(
      deleteKeysSql(
        ctx.target.dialect,
        tableOf(ctx.plan, 'target'),
        columns,
        keys.slice(i, i + KEYS_PER_STATEMENT),
      ),
    );
  }
}

/** Deletes replayed entries from the log, by their sequence values. */
function forgetSql(ctx: CopyContext, entries: LogEntry[]): string {
  const { dialect: sd } = ctx.source;
  return `DELETE FROM ${sd.qualify(
    changeLogOf(tableOf(ctx.plan, 'source')),
  )} WHERE ${sd.quote('dm_seq')} IN (${entries
    .map(e => String(e.seq))
    .join(', ')})`;
}

/** Forgets log entries that were replayed (and, for verify, checked). */
export async function forgetEntries(
  ctx: CopyContext,
  entries: LogEntry[],
): Promise<void> {
  if (entries.length > 0) await ctx.source.knex.raw(forgetSql(ctx, entries));
}

/**
 * Gives the target the source's current rows for the keys of `entries` (deleted keys:
 * no row), through the plan's reviewed catch-up SQL. With `forget`, the entries are
 * deleted from the log after the target committed (same database: in the same
 * transaction); without, they stay for the caller to check and forget. Replaying an
 * entry again writes the same rows again.
 */
export async function replayEntries(
  ctx: CopyContext,
  entries: LogEntry[],
  { forget }: { forget: boolean },
): Promise<void> {
  if (entries.length === 0) return;
  // Sequence numbers read back as numbers: safe to write as they are.
  const seqs = entries.map(e => String(e.seq)).join(', ');
  const statements = catchUpStatementTemplates(ctx).map(t =>
    t.fill(() => seqs),
  );
  if (statements.length > 1) {
    // Same database: the target's DELETE and INSERT … SELECT and the log's DELETE
    // commit together.
    await ctx.target.knex.transaction(async trx => {
      for (const sql of statements) await trx.raw(sql);
      if (forget) await trx.raw(forgetSql(ctx, entries));
    });
    return;
  }
  const rows = allRows(await ctx.source.knex.raw(statements[0]));
  const writer = createRowWriter(
    ctx.plan,
    ctx.target.dialect,
    ctx.target.dialect.engine,
  );
  const keys = targetKeys(ctx, entries);
  await ctx.target.knex.transaction(async trx => {
    await deleteKeys(trx, ctx, keys);
    await writer.write(trx, tableOf(ctx.plan, 'target'), writer.convert(rows));
  });
  if (forget) await forgetEntries(ctx, entries);
}

/**
 * Replays the oldest logged changes and forgets them. Log entries are deleted only
 * after the target committed, and only those read: a crash in between replays them
 * again, which writes the same rows again, and an entry that another transaction
 * commits meanwhile (sequence values commit out of order on PostgreSQL) stays for the
 * next batch. Returns how many entries were replayed.
 */
export async function replayChanges(
  ctx: CopyContext,
  limit = CATCH_UP_BATCH,
): Promise<number> {
  const entries = await readLog(ctx, limit);
  await replayEntries(ctx, entries, { forget: true });
  return entries.length;
}
