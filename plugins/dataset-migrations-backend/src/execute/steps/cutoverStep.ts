import type { Knex } from 'knex';
import { runOnSource, Step, StepContext } from './Step';
import { backupTableName } from '../../plan/sql/names';
import { cutOverToForeignView } from './foreignViewCutover';

async function hasTable(knex: Knex, schema: string | undefined, table: string) {
  return schema
    ? knex.schema.withSchema(schema).hasTable(table)
    : knex.schema.hasTable(table);
}

const backupExists = (ctx: StepContext) =>
  hasTable(
    ctx.source.knex,
    ctx.plan.source.schema,
    backupTableName(ctx.plan.source.table),
  );

/**
 * Keeps the source under its backup name and puts the compatibility view at the old
 * name (over the new table, or over a postgres_fdw foreign table that reads it from
 * another PostgreSQL database), in one transaction where the engine allows it; where no
 * view can stand, the source stays and refuses writes until cleanup.
 */
export const cutoverStep: Step = {
  name: 'cutover',
  async run(ctx) {
    const { plan } = ctx;
    if (plan.compatibility === 'foreign-view') {
      if (await backupExists(ctx)) {
        await ctx.event('Cutover already happened in an earlier attempt');
      } else {
        await cutOverToForeignView(ctx);
      }
      await ctx.event(
        `Readers of ${plan.source.table} now read ${plan.target.connection}:${
          plan.target.schema ? `${plan.target.schema}.` : ''
        }${
          plan.target.table
        } through the compatibility view over a postgres_fdw foreign table`,
      );
    } else if (plan.compatibility === 'view') {
      if (await backupExists(ctx)) {
        await ctx.event('Cutover already happened in an earlier attempt');
      } else {
        try {
          await runOnSource(ctx, plan.artifacts.cutover);
        } catch (e) {
          // MySQL: RENAME and CREATE VIEW commit separately; put the source back first.
          if (
            !ctx.source.dialect.isTransactionalDdl &&
            (await backupExists(ctx))
          ) {
            await runOnSource(ctx, plan.artifacts.cutoverRollback);
          }
          throw e;
        }
      }
      await ctx.event(
        `Readers of ${plan.source.table} now read the new table through the compatibility view`,
      );
    } else if (
      ctx.source.dialect.isTransactionalDdl ||
      !plan.artifacts.quiesce
    ) {
      // Triggers cannot be created twice: clear any left by a crashed attempt first.
      await runOnSource(ctx, [
        ...plan.artifacts.cutoverRollback,
        ...plan.artifacts.cutover,
      ]);
    } else {
      // Catch-up froze the source with these very statements. Without transactional
      // DDL, dropping them to create them again would let writes in that nothing
      // replays any more, so the triggers already there stay.
      for (const sql of plan.artifacts.cutover) {
        try {
          await ctx.source.knex.raw(sql);
        } catch (e) {
          if ((e as { code?: string }).code !== 'ER_TRG_ALREADY_EXISTS')
            throw e;
        }
      }
    }
    if (plan.compatibility === 'frozen-source') {
      await ctx.event(
        `${
          plan.source.table
        } is now read-only at its old name; its consumers must repoint to ${
          plan.target.connection
        }:${plan.target.schema ? `${plan.target.schema}.` : ''}${
          plan.target.table
        } before finalize`,
      );
    }
    await ctx.progress({ done: 1, total: 1, unit: 'tables' });
  },
  async undo(ctx) {
    const { plan } = ctx;
    // Views: no backup means the cutover never happened (or was already undone).
    if (plan.compatibility !== 'frozen-source' && !(await backupExists(ctx)))
      return;
    await runOnSource(ctx, plan.artifacts.cutoverRollback);
  },
};
