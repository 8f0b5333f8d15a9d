import type { Knex } from 'knex';
import type { StepContext } from '../execute/steps/Step';
import { tableOf } from '../execute/steps/Step';
import { allRows } from '../connections/rawRows';
import { logKeyColumns } from '../plan/dialects/common';
import { changeLogOf } from '../plan/sql/generateArtifacts';
import { valueConverter } from './convertValue';
import { targetKeyColumns } from './keyRange';
import { createRowWriter } from './rowWriter';
import { catchUpStatementTemplates } from './reviewedStatements';
import { deleteKeysSql } from './tableWrites';

/** Logged changes per catch-up batch. */
export const CATCH_UP_BATCH = 1000;

// Keys per DELETE … WHERE key IN (…): within every engine's bound-parameter limit.
const KEYS_PER_DELETE = 500;

type LogEntry = { seq: number; key: unknown[] };

/** The oldest logged changes, in sequence order. */
async function readLog(ctx: StepContext, limit: number): Promise<LogEntry[]> {
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

/** The logged keys as the target stores them, each once. */
function targetKeys(ctx: StepContext, entries: LogEntry[]): unknown[][] {
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
  ctx: StepContext,
  keys: unknown[][],
): Promise<void> {
  const columns = targetKeyColumns(ctx.plan);
  for (let i = 0; i < keys.length; i += KEYS_PER_DELETE) {
    await trx.raw(
      deleteKeysSql(
        ctx.target.dialect,
        tableOf(ctx.plan, 'target'),
        columns,
        keys.slice(i, i + KEYS_PER_DELETE),
      ),
    );
  }
}

/**
 * Replays the oldest logged changes: the target gets the source's current rows for
 * their keys (deleted keys: no row), through the plan's reviewed catch-up SQL. Log
 * entries are deleted only after the target committed, and only those read: a crash in
 * between replays them again, which writes the same rows again, and an entry that
 * another transaction commits meanwhile (sequence values commit out of order on
 * PostgreSQL) stays for the next batch. Returns how many entries were replayed.
 */
export async function replayChanges(
  ctx: StepContext,
  limit = CATCH_UP_BATCH,
): Promise<number> {
  const entries = await readLog(ctx, limit);
  if (entries.length === 0) return 0;
  // Sequence numbers read back as numbers: safe to write as they are.
  const seqs = entries.map(e => String(e.seq)).join(', ');
  const statements = catchUpStatementTemplates(ctx).map(t =>
    t.fill(() => seqs),
  );
  const { dialect: sd } = ctx.source;
  const forgetReplayed = `DELETE FROM ${sd.qualify(
    changeLogOf(tableOf(ctx.plan, 'source')),
  )} WHERE ${sd.quote('dm_seq')} IN (${seqs})`;
  if (statements.length > 1) {
    // Same database: the target's DELETE and INSERT … SELECT and the log's DELETE
    // commit together.
    await ctx.target.knex.transaction(async trx => {
      for (const sql of statements) await trx.raw(sql);
      await trx.raw(forgetReplayed);
    });
    return entries.length;
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
  await ctx.source.knex.raw(forgetReplayed);
  return entries.length;
}
