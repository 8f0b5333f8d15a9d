import { CATCH_UP_BATCH, replayChanges } from '../../copy/replayChanges';
import { runOnSource, Step, StepContext, throwIfAborted } from './Step';

/**
 * Full batches replayed while writers go on before the source is frozen anyway: a
 * source written faster than catch-up replays would otherwise never converge.
 */
export const MAX_LIVE_BATCHES = 50;

/**
 * Replays batches until one comes back shorter than `limit` (or, with 1, empty), or
 * until `maxBatches` have run.
 */
async function drain(
  ctx: StepContext,
  replayed: number,
  limit: number,
  maxBatches = Infinity,
): Promise<number> {
  let total = replayed;
  for (let batch = 1; ; batch++) {
    throwIfAborted(ctx);
    const count = await replayChanges(ctx);
    total += count;
    if (count > 0) await ctx.progress({ done: total, total, unit: 'changes' });
    if (count < limit) return total;
    if (batch >= maxBatches) {
      await ctx.event(
        `Writers outpace catch-up (${total} changes replayed in ${batch} batches): freezing ${ctx.plan.source.table} now to finish`,
        { replayed: total },
      );
      return total;
    }
  }
}

/**
 * Replays the writes the source took during the copy. While writers go on, batches of
 * logged keys are replayed until the log is nearly empty; then the source is frozen
 * (writers get an error), so the last batches, verify and cutover see a source that no
 * longer changes. The freeze lasts until cutover: a `frozen-source` cutover keeps it
 * for good, a view's cutover leaves it on the backup, where nobody writes; rollback
 * lifts it.
 */
export const catchUpStep: Step = {
  name: 'catch-up',
  async run(ctx) {
    const { plan } = ctx;
    const { capture, quiesce = [], quiesceRollback = [] } = plan.artifacts;
    if (!capture) {
      await ctx.event(
        'This plan was made before catch-up existed: writes made during the copy are not replayed',
      );
    } else if (plan.copyKey.length === 0) {
      await ctx.event(
        `${plan.source.table} has refused writes since provision (no copy key to catch up by); nothing to replay`,
      );
    } else {
      let replayed = await drain(ctx, 0, CATCH_UP_BATCH, MAX_LIVE_BATCHES);
      // A crashed attempt may have frozen already: lift and freeze again, as one
      // transaction where the engine allows it.
      await runOnSource(ctx, [...quiesceRollback, ...quiesce]);
      // Frozen: whatever the log holds now is all there will be.
      replayed = await drain(ctx, replayed, 1);
      await ctx.event(
        `Replayed ${replayed} logged changes written during the copy; ${plan.source.table} refuses writes until cutover`,
        { replayed },
      );
      await ctx.progress({ done: replayed, total: replayed, unit: 'changes' });
      return;
    }
    await ctx.progress({ done: 0, total: 0, unit: 'changes' });
  },
  async undo(ctx) {
    await runOnSource(ctx, ctx.plan.artifacts.quiesceRollback ?? []);
  },
};
