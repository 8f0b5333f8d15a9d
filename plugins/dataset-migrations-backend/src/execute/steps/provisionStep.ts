import { Step, tableOf } from './Step';

async function tableExists(ctx: Parameters<Step['run']>[0]): Promise<boolean> {
  const { schema, table } = tableOf(ctx.plan, 'target');
  return schema
    ? ctx.target.knex.schema.withSchema(schema).hasTable(table)
    : ctx.target.knex.schema.hasTable(table);
}

/** Creates the target table, its key and indexes; a table already there from an earlier attempt is kept. */
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
    await ctx.progress({ done: 1, total: 1, unit: 'tables' });
  },
  async undo(ctx) {
    for (const sql of ctx.plan.artifacts.rollback)
      await ctx.target.knex.raw(sql);
  },
};
