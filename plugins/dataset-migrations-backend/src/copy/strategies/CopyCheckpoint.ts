import type { Knex } from 'knex';
import type { CopyContext } from '../CopyContext';
import { tableOf } from '../CopyContext';
import { clearUnconfirmedRows } from '../keyRange';
import { deleteAllSql } from '../tableWrites';

/** What the copy step persists after every committed batch. */
export type CopyCheckpoint = {
  /** Source key of the last committed row; null before the first batch. */
  lastKey: unknown[] | null;
  done: number;
  total: number;
  isComplete?: boolean;
};

/** Saves a committed batch's progress and the key the next attempt resumes after. */
export function saveCheckpoint(
  ctx: CopyContext,
  checkpoint: CopyCheckpoint,
): Promise<void> {
  return ctx.progress({
    done: checkpoint.done,
    total: Math.max(checkpoint.done, checkpoint.total),
    unit: 'rows',
    checkpoint,
  });
}

/** Empties the target table (this migration's own: the copy step checked its mark). */
export async function emptyTarget(
  knex: Knex | Knex.Transaction,
  ctx: CopyContext,
): Promise<void> {
  await knex.raw(deleteAllSql(ctx.target.dialect, tableOf(ctx.plan, 'target')));
}

/**
 * Before a copy resumes on a key both sides order alike: deletes the target rows after
 * the checkpoint (a batch that committed just before a crash lost its checkpoint), and
 * says so in the migration's events.
 */
export async function clearAfterCheckpoint(
  ctx: CopyContext,
  lastKey: unknown[] | null,
): Promise<void> {
  const cleared = await clearUnconfirmedRows(
    ctx.target.knex,
    ctx.target.dialect,
    ctx.plan,
    tableOf(ctx.plan, 'target'),
    lastKey,
  );
  if (cleared > 0) {
    await ctx.event(
      `Removed ${cleared} target rows written after the last checkpoint; copying them again`,
      { cleared },
    );
  }
}
