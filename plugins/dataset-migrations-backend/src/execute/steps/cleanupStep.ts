import { runOnSource, Step } from './Step';

/**
 * Drops the compatibility view and the backup (or the frozen source) once the grace
 * period is over or an owner finalized. Irreversible, so it only runs on request or
 * after the grace period, and rollback is refused from here on.
 */
export const cleanupStep: Step = {
  name: 'cleanup',
  async run(ctx) {
    await runOnSource(ctx, ctx.plan.artifacts.cleanup);
    await ctx.progress({ done: 1, total: 1, unit: 'tables' });
  },
  async undo() {
    // Nothing can bring back what cleanup dropped; the API refuses to roll back after it.
  },
};
