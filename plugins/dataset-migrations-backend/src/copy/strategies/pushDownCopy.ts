import type { CopyContext } from '../CopyContext';
import { affectedRows } from '../keyRange';
import { saveCheckpoint, emptyTarget } from './CopyCheckpoint';

/**
 * Same database: the plan's one `INSERT … SELECT`, which the engine runs without moving
 * rows out, in a transaction that first empties the target so a retry starts clean.
 */
export async function pushDownCopy(ctx: CopyContext): Promise<void> {
  // The statement's own row count: counting the source first would read it twice.
  const copied = await ctx.target.knex.transaction(async trx => {
    await emptyTarget(trx, ctx);
    return affectedRows(await trx.raw(ctx.plan.artifacts.copy));
  });
  await saveCheckpoint(ctx, {
    lastKey: null,
    done: copied,
    total: copied,
    isComplete: true,
  });
}
