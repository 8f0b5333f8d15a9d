import { CATCH_UP_BATCH, replayChanges } from '../../copy/replayChanges';
import { runOnSource, Step, StepContext, throwIfAborted } from './Step';

/**
 * Full batches replayed while writers go on before catch-up (and verify's live replay)
 * stops anyway: a source written faster than they replay would never converge. Verify
 * then freezes the source to finish.
 */
export const MAX_LIVE_BATCHES = 50;

/**
 * Replays batches until one comes back shorter than `limit`, or until `maxBatches`
 * have run.
 */
async function drain(
  ctx: StepContext,
  limit: number,
  maxBatches: number,
): Promise<number> {
  let total = 0;
  for (let batch = 1; ; batch++) {
    throwIfAborted(ctx);
    const count = await replayChanges(ctx);
    total += count;
    if (count > 0) await ctx.progress({ done: total, total, unit: 'changes' });
    if (count < limit) return total;
    if (batch >= maxBatches) {
      await ctx.event(
        `Writers outpace catch-up (${total} changes replayed in ${batch} batches): verify takes over, and freezes ${ctx.plan.source.table} to finish`,
        { replayed: total },
      );
      return total;
    }
  }
}

/**
 * Replays the writes the source took during the copy, while writers go on: batches of
 * logged keys are replayed until the log is nearly empty. Writers are not stopped here:
 * verify compares the bulk first, with change capture still logging, and freezes the
 * source only for the last replay and the check of the keys written meanwhile.
 */
export const catchUpStep: Step = {
  name: 'catch-up',
  async run(ctx) {
    const { plan } = ctx;
    const { capture } = plan.artifacts;
    if (!capture) {
      await ctx.event(
        'This plan was made before catch-up existed: writes made during the copy are not replayed',
      );
    } else if (plan.copyKey.length === 0) {
      await ctx.event(
        `${plan.source.table} has refused writes since provision (no copy key to catch up by); nothing to replay`,
      );
    } else {
      const replayed = await drain(ctx, CATCH_UP_BATCH, MAX_LIVE_BATCHES);
      await ctx.progress({
        done: replayed,
        total: replayed,
        unit: 'changes',
        event: {
          message: `Replayed ${replayed} logged changes written during the copy; writers go on until verify has compared the bulk`,
          data: { replayed },
        },
      });
      return;
    }
    await ctx.progress({ done: 0, total: 0, unit: 'changes' });
  },
  async undo(ctx) {
    // Catch-up no longer freezes; an attempt of an earlier version may have.
    await runOnSource(ctx, ctx.plan.artifacts.quiesceRollback ?? []);
  },
};
