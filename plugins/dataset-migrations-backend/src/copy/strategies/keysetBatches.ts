import type { CopyContext } from '../CopyContext';
import { tableOf, throwIfAborted } from '../CopyContext';
import { allRows } from '../../dialects/rawRows';
import { hasKeysBetween, lastKeyOf, targetKeyColumns } from '../keyRange';
import { copyIntoPostgres } from '../pgCopyWriter';
import { fillAfterKey, nextBatchTemplate } from '../reviewedStatements';
import { createRowWriter } from '../rowWriter';
import { COPY_BATCH_SIZE } from '../../plan/sql/generateArtifacts';
import {
  clearAfterCheckpoint,
  CopyCheckpoint,
  saveCheckpoint,
} from './CopyCheckpoint';

type Row = Record<string, unknown>;

/**
 * Batches written at once, each in its own target transaction: the target's engine
 * then works on one batch while the next is being sent, as pgloader's writer threads do.
 */
const WRITERS = 2;

/**
 * Keyset batches in key order (the plan's `copy`, then `copyNext` after the last key).
 * Each batch commits in the target, then its last key is checkpointed. A crash between
 * the two leaves a batch after the checkpoint: with a key both sides order alike
 * (`isRangeShared`) a resumed run deletes those rows first and writes plainly;
 * otherwise every row is insert-or-ignore on the key. The next batch is read while
 * earlier ones are written, so source and target work at the same time. The copy stops
 * at the source's last key when it started; later rows are in the change log for
 * catch-up.
 */
export async function keysetBatches(
  ctx: CopyContext,
  start: CopyCheckpoint,
  isRangeShared: boolean,
): Promise<void> {
  const target = tableOf(ctx.plan, 'target');
  const writer = createRowWriter(
    ctx.plan,
    ctx.target.dialect,
    ctx.target.dialect.engine,
  );
  const key = targetKeyColumns(ctx.plan);
  const columns = ctx.plan.columns.map(c => c.target);
  // The holes of the next-batch query are filled by position, never found in its text.
  const nextBatch = nextBatchTemplate(ctx, COPY_BATCH_SIZE);
  const read = async (after: unknown[] | null): Promise<Row[]> =>
    allRows(
      await ctx.source.knex.raw(
        after
          ? fillAfterKey(nextBatch, ctx.source.dialect, after)
          : ctx.plan.artifacts.copy,
      ),
    );
  const keyOf = (row: Row) => ctx.plan.copyKey.map((_k, i) => row[`dm_k${i}`]);

  const write = async (rows: Row[]) => {
    if (ctx.target.dialect.engine === 'postgres') {
      await copyIntoPostgres(
        ctx.target.knex,
        ctx.target.dialect,
        target,
        columns,
        writer.copyText(rows),
        { ignoreKey: isRangeShared ? undefined : key },
      );
      return;
    }
    const converted = writer.convert(rows);
    await ctx.target.knex.transaction(trx =>
      writer.write(trx, target, converted, {
        ignoreKey: isRangeShared ? undefined : key,
      }),
    );
  };

  let { lastKey, done } = start;
  if (isRangeShared) await clearAfterCheckpoint(ctx, lastKey);
  // Batches in flight, oldest first. The checkpoint only ever moves to the end of the
  // oldest batch once it has committed, so it stays in key order even though a later
  // batch may commit first; rows a crash leaves beyond it are cleared or ignored above.
  const inFlight: Array<Promise<{ lastKey: unknown[]; rows: number }>> = [];
  const confirmOldest = async () => {
    const batch = await inFlight.shift()!;
    lastKey = batch.lastKey;
    done += batch.rows;
    await saveCheckpoint(ctx, { lastKey, done, total: start.total });
  };
  const source = {
    ...ctx.source,
    table: tableOf(ctx.plan, 'source'),
    key: ctx.plan.copyKey,
  };
  // Plans without change capture have nothing to catch later rows up with: no stop.
  const stopKey = ctx.plan.artifacts.capture ? await lastKeyOf(source) : null;
  let next = read(lastKey);
  try {
    for (;;) {
      throwIfAborted(ctx);
      const rows = await next;
      if (rows.length === 0) break;
      const batchLastKey = keyOf(rows[rows.length - 1]);
      // Checked while the next batch is read: is anything left up to the stop key?
      const hasMore = stopKey
        ? hasKeysBetween(source, batchLastKey, stopKey)
        : Promise.resolve(true);
      next = read(batchLastKey);
      // A failed write abandons the reads in flight; their failures are not news then.
      next.catch(() => undefined);
      hasMore.catch(() => undefined);
      const written = write(rows).then(() => ({
        lastKey: batchLastKey,
        rows: rows.length,
      }));
      written.catch(() => undefined);
      inFlight.push(written);
      if (inFlight.length >= WRITERS) await confirmOldest();
      if (!(await hasMore)) break;
    }
    // A read started past the stop key is not needed; let it finish before moving on.
    await next.catch(() => undefined);
    while (inFlight.length > 0) await confirmOldest();
  } catch (e) {
    // No write may still be running when the step's next attempt starts.
    await Promise.allSettled(inFlight);
    throw e;
  }
  await saveCheckpoint(ctx, {
    lastKey,
    done,
    total: start.total,
    isComplete: true,
  });
}
