import { Step } from './Step';

/**
 * Drops the compatibility view and the backup (or the frozen source) once the grace
 * period is over or an owner finalized. Irreversible, so it only runs on request or
 * after the grace period, and rollback is refused from here on.
 */
export const cleanupStep: Step = {
  name: 'cleanup',
  async run(ctx) {
    const { knex, dialect } = ctx.source;
    if (dialect.isTransactionalDdl) {
      await knex.transaction(async trx => {
        for (const sql of ctx.plan.artifacts.cleanup) await trx.raw(sql);
      });
    } else {
      for (const sql of ctx.plan.artifacts.cleanup) await knex.raw(sql);
    }
    await ctx.progress({ done: 1, total: 1, unit: 'tables' });
  },
  async undo() {
    // Nothing can bring back what cleanup dropped; the API refuses to roll back after it.
  },
};
