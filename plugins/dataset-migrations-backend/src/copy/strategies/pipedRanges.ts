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
 * Ranges copied at once, each on its own pair of connections and in its own target
 * transaction: one range's COPY runs while the other's commits and the next range's end
 * is found, so neither server waits on the round trips between ranges.
 */
const RANGES_IN_FLIGHT = 2;

/**
 * `copy-pipe`, PostgreSQL to PostgreSQL: ranges of rows stream from COPY TO into COPY
 * FROM, two at a time. A range commits in the target; the checkpoint then moves to the
 * last key of the oldest committed range only, so it stays in key order though a later
 * range may commit first. A crash leaves rows after the checkpoint: with a key both
 * sides order alike (`isRangeShared`) a resumed run deletes them first; otherwise each
 * range lands in a staging table and goes on with insert-or-ignore (`copyIntoTable`).
 * Either way it is written once.
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
  const copyRange = (after: string[] | null, upTo: string[] | null) => {
    const copyOut = rangeCopyOut(source, ctx.plan, after, upTo);
    return ctx.target.knex.transaction(trx =>
      copyIntoTable(
        trx,
        td,
        target,
        columns,
        copyIn => pipeCopy(ctx.source.knex, trx, copyOut, copyIn),
        isRangeShared ? undefined : key,
      ),
    );
  };
  // Ranges in flight, oldest first, each with the key it ends at.
  const inFlight: Array<{ upTo: string[] | null; rows: Promise<number> }> = [];
  const confirmOldest = async () => {
    const range = inFlight.shift()!;
    done += await range.rows;
    if (range.upTo) {
      lastKey = range.upTo;
      await saveCheckpoint(ctx, { lastKey, done, total: start.total });
    }
  };
  try {
    let after = lastKey;
    for (;;) {
      throwIfAborted(ctx);
      const upTo =
        (await nextRangeEnd(source, ctx.plan, after, undefined, stop)) ?? stop;
      const rows = copyRange(after, upTo);
      // A failure is rethrown by confirmOldest; not news before then.
      rows.catch(() => undefined);
      inFlight.push({ upTo, rows });
      if (inFlight.length >= RANGES_IN_FLIGHT) await confirmOldest();
      if (!upTo || upTo === stop) break;
      after = upTo;
    }
    while (inFlight.length > 0) await confirmOldest();
  } catch (e) {
    // No range may still be writing when the step's next attempt starts.
    await Promise.allSettled(inFlight.map(r => r.rows));
    throw e;
  }
  await saveCheckpoint(ctx, {
    lastKey,
    done,
    total: start.total,
    isComplete: true,
  });
}
