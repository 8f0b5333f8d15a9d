import type { StepContext } from '../../execute/steps/Step';
import { saveCheckpoint, targetQuery } from './CopyCheckpoint';

/**
 * Same database: the plan's one `INSERT … SELECT`, which the engine runs without moving
 * rows out, in a transaction that first empties the target so a retry starts clean.
 */
export async function pushDownCopy(
  ctx: StepContext,
  total: number,
): Promise<void> {
  await ctx.target.knex.transaction(async trx => {
    await targetQuery(trx, ctx).delete();
    await trx.raw(ctx.plan.artifacts.copy);
  });
  await saveCheckpoint(ctx, {
    lastKey: null,
    done: total,
    total,
    isComplete: true,
  });
}
