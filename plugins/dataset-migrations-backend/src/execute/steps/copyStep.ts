import type { Knex } from 'knex';
import { allRows, firstRow } from '../../connections/rawRows';
import { copyIntoPostgres } from '../../copy/pgCopyWriter';
import { createRowWriter } from '../../copy/rowWriter';
import { Step, StepContext, tableOf, throwIfAborted } from './Step';

type CopyCheckpoint = {
  lastKey: unknown[] | null;
  done: number;
  total: number;
  isComplete?: boolean;
};

async function countRows(ctx: StepContext): Promise<number> {
  const { dialect, knex } = ctx.source;
  const row = firstRow(
    await knex.raw(
      `SELECT COUNT(*) AS ${dialect.quote('n')} FROM ${dialect.qualify(
        tableOf(ctx.plan, 'source'),
      )}`,
    ),
  );
  return Number(row?.n ?? 0);
}

function targetQuery(knex: Knex | Knex.Transaction, ctx: StepContext) {
  const { schema, table } = tableOf(ctx.plan, 'target');
  return schema ? knex.withSchema(schema).table(table) : knex.table(table);
}

/** Target names of the columns the copy is keyed on (the target's key or unique index). */
function targetKey(ctx: StepContext): string[] {
  return ctx.plan.copyKey.map(
    k => ctx.plan.columns.find(c => c.source === k)?.target ?? k,
  );
}

/** Same database: one INSERT ... SELECT inside a transaction that first empties the target. */
async function pushDown(ctx: StepContext, total: number): Promise<void> {
  await ctx.target.knex.transaction(async trx => {
    await targetQuery(trx, ctx).delete();
    await trx.raw(ctx.plan.artifacts.copy);
  });
  await ctx.progress({
    done: total,
    total,
    unit: 'rows',
    checkpoint: { lastKey: null, done: total, total, isComplete: true },
  });
}

/**
 * Keyset batches in key order. Each batch commits in the target, then its last key is
 * checkpointed; a crash between the two replays the batch, whose rows the target's key
 * turns away (insert-or-ignore), so nothing is duplicated and nothing skipped.
 */
async function keysetBatches(
  ctx: StepContext,
  start: CopyCheckpoint,
): Promise<void> {
  const writer = createRowWriter(
    ctx.plan,
    ctx.target.dialect,
    ctx.target.dialect.engine,
  );
  const key = targetKey(ctx);
  const columns = ctx.plan.columns.map(c => c.target);
  let { lastKey, done } = start;
  for (;;) {
    throwIfAborted(ctx);
    const rows = allRows(
      lastKey
        ? await ctx.source.knex.raw(
            ctx.plan.artifacts.copyNext!,
            lastKey as Knex.RawBinding[],
          )
        : await ctx.source.knex.raw(ctx.plan.artifacts.copy),
    );
    if (rows.length === 0) break;
    const converted = writer.convert(rows);
    if (ctx.target.dialect.engine === 'postgres') {
      // PostgreSQL targets take the bulk path: COPY into staging, then insert-or-ignore.
      await copyIntoPostgres(
        ctx.target.knex,
        ctx.target.dialect,
        tableOf(ctx.plan, 'target'),
        columns,
        key,
        converted,
      );
    } else {
      await ctx.target.knex.transaction(async trx => {
        for (let i = 0; i < converted.length; i += 500) {
          await targetQuery(trx, ctx)
            .insert(converted.slice(i, i + 500))
            .onConflict(key)
            .ignore();
        }
      });
    }
    const last = rows[rows.length - 1];
    lastKey = ctx.plan.copyKey.map((_k, i) => last[`dm_k${i}`]);
    done += rows.length;
    await ctx.progress({
      done,
      total: start.total,
      unit: 'rows',
      checkpoint: { lastKey, done, total: start.total },
    });
  }
  await ctx.progress({
    done,
    total: start.total,
    unit: 'rows',
    checkpoint: { lastKey, done, total: start.total, isComplete: true },
  });
}

/**
 * No key to resume by: the whole table in one target transaction that first empties
 * the target, read in pages ordered by every column, so a retry simply starts over.
 */
async function onePass(ctx: StepContext, total: number): Promise<void> {
  const { dialect } = ctx.source;
  const writer = createRowWriter(
    ctx.plan,
    ctx.target.dialect,
    ctx.target.dialect.engine,
  );
  const order = `ORDER BY ${ctx.plan.source.columns
    .map(c => dialect.quote(c.name))
    .join(', ')}`;
  const page = 5000;
  let done = 0;
  await ctx.target.knex.transaction(async trx => {
    await targetQuery(trx, ctx).delete();
    for (let offset = 0; ; offset += page) {
      throwIfAborted(ctx);
      const rows = allRows(
        await ctx.source.knex.raw(
          `${ctx.plan.artifacts.copy}\n${order}\n${dialect.limit(
            page,
          )} OFFSET ${offset}`,
        ),
      );
      await writer.write(
        trx,
        tableOf(ctx.plan, 'target'),
        writer.convert(rows),
      );
      done += rows.length;
      if (rows.length < page) break;
    }
  });
  await ctx.progress({
    done,
    total,
    unit: 'rows',
    checkpoint: { lastKey: null, done, total, isComplete: true },
  });
}

/** Moves the rows: push-down in one database, streamed batches across databases. */
export const copyStep: Step = {
  name: 'copy',
  async run(ctx) {
    const saved = await ctx.checkpoint<CopyCheckpoint>();
    if (saved?.isComplete) return;
    const total = saved?.total ?? (await countRows(ctx));
    await ctx.progress({ done: saved?.done ?? 0, total, unit: 'rows' });
    if (ctx.plan.copyStrategy === 'push-down') {
      await pushDown(ctx, total);
    } else if (ctx.plan.copyKey.length > 0) {
      await keysetBatches(ctx, saved ?? { lastKey: null, done: 0, total });
    } else {
      await onePass(ctx, total);
    }
  },
  async undo() {
    // The provision step's undo drops the target table with every copied row.
  },
};
