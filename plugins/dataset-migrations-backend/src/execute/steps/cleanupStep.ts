import { runWithLockTimeout } from './lockTimeout';
import { Step } from './Step';

/**
 * Drops the compatibility view and the backup (or the frozen source) once the grace
 * period is over or an owner finalized, then the capture of writes to the new table.
 * Irreversible, so it only runs on request or after the grace period, and rollback is
 * refused from here on. The DROPs wait for locks a bounded time (readers of the old
 * name would queue behind them), and a frozen source is dropped before its freeze
 * goes, so a DROP that fails leaves it refusing writes.
 */
export const cleanupStep: Step = {
  name: 'cleanup',
  async run(ctx) {
    const action = `Cleanup of ${ctx.entityRef}`;
    await runWithLockTimeout(
      ctx,
      ctx.source,
      ctx.plan.artifacts.cleanup,
      action,
    );
    await runWithLockTimeout(
      ctx,
      ctx.target,
      ctx.plan.artifacts.compatibilityCaptureRemoval ?? [],
      `${action} (removing the capture of writes to the new table)`,
    );
    await ctx.progress({ done: 1, total: 1, unit: 'tables' });
  },
  async undo() {
    // Nothing can bring back what cleanup dropped; the API refuses to roll back after it.
  },
};
