import type { CopyContext } from '../CopyContext';
import { tableOf, throwIfAborted } from '../CopyContext';
import { targetKeyColumns } from '../keyRange';
import {
  lastRangeKey,
  nextRangeEnd,
  pipeCopy,
  rangeCopyOut,
} from '../pgCopyPipe';
import { copyIntoTable } from '../pgCopyWriter';
import {
  clearAfterCheckpoint,
  CopyCheckpoint,
  saveCheckpoint,
} from './CopyCheckpoint';

/**
 * `copy-pipe`, PostgreSQL to PostgreSQL: ranges of rows stream from COPY TO into COPY
 * FROM. A range commits in the target, then its last key is checkpointed. A crash
 * between the two leaves rows after the checkpoint: with a key both sides order alike
 * (`isRangeShared`) a resumed run deletes them first; otherwise each range lands in a
 * staging table and goes on with insert-or-ignore (`copyIntoTable`). Either way it is
 * written once.
 */
export async function pipedRanges(
  ctx: CopyContext,
  start: CopyCheckpoint,
  isRangeShared: boolean,
): Promise<void> {
  const source = { ...ctx.source, table: tableOf(ctx.plan, 'source') };
  const target = tableOf(ctx.plan, 'target');
  const td = ctx.target.dialect;
  const columns = ctx.plan.columns.map(c => c.target);
  const key = targetKeyColumns(ctx.plan);
  let lastKey = start.lastKey as string[] | null;
  let { done } = start;
  if (isRangeShared) await clearAfterCheckpoint(ctx, lastKey);
  // The copy stops at the last key when it started: later rows are the catch-up's
  // (plans without change capture have nothing to catch them up with: no stop).
  const stop = ctx.plan.artifacts.capture
    ? await lastRangeKey(source, ctx.plan)
    : null;
  for (;;) {
    throwIfAborted(ctx);
    const upTo =
      (await nextRangeEnd(source, ctx.plan, lastKey, undefined, stop)) ?? stop;
    const copyOut = rangeCopyOut(source, ctx.plan, lastKey, upTo);
    done += await ctx.target.knex.transaction(trx =>
      copyIntoTable(
        trx,
        td,
        target,
        columns,
        copyIn => pipeCopy(ctx.source.knex, trx, copyOut, copyIn),
        isRangeShared ? undefined : key,
      ),
    );
    if (!upTo || upTo === stop) break;
    lastKey = upTo;
    await saveCheckpoint(ctx, { lastKey, done, total: start.total });
  }
  await saveCheckpoint(ctx, {
    lastKey,
    done,
    total: start.total,
    isComplete: true,
  });
}
