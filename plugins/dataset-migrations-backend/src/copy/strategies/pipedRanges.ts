import type { StepContext } from '../../execute/steps/Step';
import { tableOf, throwIfAborted } from '../../execute/steps/Step';
import { clearUnconfirmedRows, targetKeyColumns } from '../keyRange';
import { nextRangeEnd, pipeRange } from '../pgCopyPipe';
import { CopyCheckpoint, saveCheckpoint } from './CopyCheckpoint';

/**
 * PostgreSQL to PostgreSQL: ranges of rows stream from COPY TO into COPY FROM. A range
 * commits in the target, then its last key is checkpointed. A crash between the two
 * leaves rows after the checkpoint: with a key both sides order alike (`isRangeShared`)
 * a resumed run deletes them first; otherwise each range lands through a staging table
 * and insert-or-ignore. Either way the range is written exactly once.
 */
export async function pipedRanges(
  ctx: StepContext,
  start: CopyCheckpoint,
  isRangeShared: boolean,
): Promise<void> {
  const sides = {
    source: { ...ctx.source, table: tableOf(ctx.plan, 'source') },
    target: { ...ctx.target, table: tableOf(ctx.plan, 'target') },
  };
  let lastKey = start.lastKey as string[] | null;
  let { done } = start;
  if (isRangeShared) {
    const cleared = await clearUnconfirmedRows(
      ctx.target.knex,
      ctx.target.dialect,
      ctx.plan,
      sides.target.table,
      lastKey,
    );
    if (cleared > 0) {
      await ctx.event(
        `Removed ${cleared} target rows written after the last checkpoint; copying them again`,
        { cleared },
      );
    }
  }
  const ignoreKey = isRangeShared ? undefined : targetKeyColumns(ctx.plan);
  for (;;) {
    throwIfAborted(ctx);
    const upTo = await nextRangeEnd(sides, ctx.plan, lastKey);
    done += await pipeRange(sides, ctx.plan, lastKey, upTo, { ignoreKey });
    if (!upTo) break;
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
