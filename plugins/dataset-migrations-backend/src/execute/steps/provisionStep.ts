import { runOnSource, Step, StepContext, tableOf } from './Step';

async function tableExists(ctx: StepContext): Promise<boolean> {
  const { schema, table } = tableOf(ctx.plan, 'target');
  return schema
    ? ctx.target.knex.schema.withSchema(schema).hasTable(table)
    : ctx.target.knex.schema.hasTable(table);
}

/**
 * Starts change capture on the source (or, without a copy key, freezes it), so every
 * write from here on can be caught up. Whatever a crashed attempt left is removed
 * first: the copy starts only once provision succeeded, so nothing logged so far
 * matters yet.
 */
async function startCapture(ctx: StepContext): Promise<void> {
  const { capture = [], captureRemoval = [] } = ctx.plan.artifacts;
  if (capture.length === 0) return;
  await runOnSource(ctx, [...captureRemoval, ...capture]);
  await ctx.event(
    ctx.plan.copyKey.length > 0
      ? `Capturing writes to ${ctx.plan.source.table} for catch-up`
      : `${ctx.plan.source.table} has no copy key to catch up by: it refuses writes until cutover`,
  );
}

/**
 * Creates the target table, its key and indexes (a table already there from an earlier
 * attempt is kept), then starts change capture on the source.
 */
export const provisionStep: Step = {
  name: 'provision',
  async run(ctx) {
    if (await tableExists(ctx)) {
      await ctx.event(
        'Target table already exists from an earlier attempt; keeping it',
      );
    } else if (ctx.target.dialect.isTransactionalDdl) {
      await ctx.target.knex.transaction(async trx => {
        for (const sql of ctx.plan.artifacts.targetDdl) await trx.raw(sql);
      });
    } else {
      try {
        for (const sql of ctx.plan.artifacts.targetDdl)
          await ctx.target.knex.raw(sql);
      } catch (e) {
        // MySQL commits each DDL statement: take back the half-made table before retrying.
        for (const sql of ctx.plan.artifacts.rollback)
          await ctx.target.knex.raw(sql);
        throw e;
      }
    }
    await startCapture(ctx);
    await ctx.progress({ done: 1, total: 1, unit: 'tables' });
  },
  async undo(ctx) {
    await runOnSource(ctx, ctx.plan.artifacts.captureRemoval ?? []);
    for (const sql of ctx.plan.artifacts.rollback)
      await ctx.target.knex.raw(sql);
  },
};
