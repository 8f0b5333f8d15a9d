import { tableExists } from '../../dialects/tableExists';
import { runWithLockTimeout } from './lockTimeout';
import { runOnSource, Step, StepContext } from './Step';

/**
 * MySQL/MariaDB drop a frozen source's TRUNCATE guard just before the source (its
 * foreign key would block the DROP), each DDL committing alone: when the DROP then
 * fails, the source is still frozen but TRUNCATE would pass, so the guard the plan
 * put up at catch-up goes back until the next attempt.
 */
async function restoreTruncateGuard(ctx: StepContext) {
  const { plan, source } = ctx;
  if (
    plan.compatibility !== 'frozen-source' ||
    source.dialect.isTransactionalDdl
  )
    return;
  const guard = source.dialect.guardTable(plan.source, plan.copyKey);
  if (guard.length === 0) return;
  if (!guard.every(sql => plan.artifacts.quiesce?.includes(sql))) return;
  const isStanding = await tableExists(
    source.knex,
    source.dialect.engine,
    plan.source.schema,
    plan.source.table,
  );
  if (isStanding) await runOnSource(ctx, guard);
}

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
    try {
      await runWithLockTimeout(
        ctx,
        ctx.source,
        ctx.plan.artifacts.cleanup,
        action,
      );
    } catch (e) {
      await restoreTruncateGuard(ctx).catch(error =>
        ctx.logger.warn(
          `Could not put back the TRUNCATE guard of ${ctx.plan.source.table} after a failed cleanup: ${error}`,
        ),
      );
      throw e;
    }
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
