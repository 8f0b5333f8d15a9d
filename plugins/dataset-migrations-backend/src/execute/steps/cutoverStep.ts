import type { Knex } from 'knex';
import {
  compatibilityWritesRefusal,
  compatibilityWritesSinceCutover,
} from '../compatibilityWrites';
import { PermanentStepError, runOnSource, Step, StepContext } from './Step';
import { backupTableName } from '../../dialects/names';
import { tableExists } from '../../dialects/tableExists';
import { cutOverToForeignView } from './foreignViewCutover';
import { addTargetConstraints } from './targetConstraints';
import {
  cutOverWithIncomingForeignKeys,
  restoreIncomingForeignKeys,
  validateIncomingForeignKeys,
} from './incomingForeignKeys';
import { syncIdentities } from './identitySync';
import {
  lockTimeoutMsOf,
  runWithLockTimeout,
  tableLabel,
  withLockTimeout,
} from './lockTimeout';

const backupExists = (ctx: StepContext) =>
  tableExists(
    ctx.source.knex,
    ctx.source.dialect.engine,
    ctx.plan.source.schema,
    backupTableName(ctx.plan.source.table),
  );

/**
 * Starts counting the writes the new table takes, before the compatibility view can
 * pass any to it: rollback refuses once there are some.
 */
async function captureOnTarget(ctx: StepContext) {
  await runWithLockTimeout(
    ctx,
    ctx.target,
    ctx.plan.artifacts.compatibilityCapture ?? [],
    `Cutover of ${ctx.entityRef} (capturing writes to the new table)`,
  );
}

async function removeCaptureOnTarget(ctx: StepContext) {
  const removal = ctx.plan.artifacts.compatibilityCaptureRemoval ?? [];
  if (removal.length === 0) return;
  await ctx.target.knex.transaction(async trx => {
    for (const sql of removal) await trx.raw(sql);
  });
}

/** Refuses (for good) to undo a cutover whose new table took writes: they would be lost. */
async function refuseIfWritten(
  ctx: StepContext,
  target: { knex: Knex; dialect: StepContext['target']['dialect'] },
) {
  const writes = await compatibilityWritesSinceCutover(ctx.plan, target);
  if (writes > 0) {
    throw new PermanentStepError(compatibilityWritesRefusal(ctx.plan, writes));
  }
}

/**
 * Puts the source back at its name from behind a view, unless the new table took writes
 * since cutover. The view goes first, so no write can slip in between the count and the
 * switch: in one transaction where DDL is transactional, else by putting the view back
 * when the count changed.
 */
async function undoViewCutover(ctx: StepContext) {
  const { plan, source } = ctx;
  const [dropView, ...rest] = plan.artifacts.cutoverRollback;
  // A `view` plan's log is in the source's database (or on its MySQL server).
  const countVia = (knex: Knex) =>
    plan.compatibility === 'view'
      ? { knex, dialect: ctx.target.dialect }
      : ctx.target;
  if (source.dialect.isTransactionalDdl) {
    await source.knex.transaction(async trx => {
      await trx.raw(dropView);
      await refuseIfWritten(ctx, countVia(trx));
      for (const sql of rest) await trx.raw(sql);
    });
    return;
  }
  await refuseIfWritten(ctx, countVia(source.knex));
  await source.knex.raw(dropView);
  try {
    await refuseIfWritten(ctx, countVia(source.knex));
  } catch (e) {
    await runOnSource(ctx, plan.artifacts.compatibilityView);
    throw e;
  }
  await runOnSource(ctx, rest);
}

/**
 * Keeps the source under its backup name and puts the compatibility view at the old
 * name (over the new table, or over a postgres_fdw foreign table that reads it from
 * another PostgreSQL database), in one transaction where the engine allows it; where no
 * view can stand, the source stays and refuses writes until cleanup. Every lock wait
 * is bounded (`lockTimeoutMs`): readers of the old name queue behind a waiting DDL,
 * so the attempt fails instead, and is retried with backoff.
 */
export const cutoverStep: Step = {
  name: 'cutover',
  async run(ctx) {
    // The new table's own foreign keys first: the copy and catch-up are over.
    await addTargetConstraints(ctx);
    const { plan } = ctx;
    const action = `Cutover of ${ctx.entityRef}`;
    // What readers see now: written with the step's last progress report, one write.
    let outcome: { message: string } | undefined;
    await syncIdentities(ctx);
    if (plan.compatibility === 'foreign-view') {
      if (await backupExists(ctx)) {
        await ctx.event('Cutover already happened in an earlier attempt');
      } else {
        await captureOnTarget(ctx);
        await cutOverToForeignView(ctx);
      }
      outcome = {
        message: `Readers of ${plan.source.table} now read ${
          plan.target.connection
        }:${plan.target.schema ? `${plan.target.schema}.` : ''}${
          plan.target.table
        } through the compatibility view over a postgres_fdw foreign table`,
      };
    } else if (plan.compatibility === 'view') {
      if (await backupExists(ctx)) {
        await ctx.event('Cutover already happened in an earlier attempt');
      } else {
        await captureOnTarget(ctx);
        try {
          await cutOverWithIncomingForeignKeys(ctx, action);
        } catch (e) {
          // MySQL: RENAME and CREATE VIEW commit separately; put the source back first.
          if (
            !ctx.source.dialect.isTransactionalDdl &&
            (await backupExists(ctx))
          ) {
            await runOnSource(ctx, plan.artifacts.cutoverRollback);
          }
          if (!ctx.source.dialect.isTransactionalDdl)
            await restoreIncomingForeignKeys(ctx);
          throw e;
        }
      }
      await validateIncomingForeignKeys(ctx);
      outcome = {
        message: `Readers of ${plan.source.table} now read the new table through the compatibility view`,
      };
    } else if (
      ctx.source.dialect.isTransactionalDdl ||
      !plan.artifacts.quiesce
    ) {
      // Triggers cannot be created twice: clear any left by a crashed attempt first.
      await runWithLockTimeout(
        ctx,
        ctx.source,
        [...plan.artifacts.cutoverRollback, ...plan.artifacts.cutover],
        action,
      );
    } else {
      // Catch-up froze the source. Without transactional DDL, dropping triggers to
      // create them again would let writes in that nothing replays any more, so the
      // triggers already there stay: the cutover's own freeze is created first, and
      // only then is the pause lifted.
      await withLockTimeout(
        ctx.source,
        lockTimeoutMsOf(ctx),
        { action, table: tableLabel(ctx) },
        async db => {
          for (const sql of plan.artifacts.cutover) {
            try {
              await db.raw(sql);
            } catch (e) {
              if ((e as { code?: string }).code !== 'ER_TRG_ALREADY_EXISTS')
                throw e;
            }
          }
        },
      );
    }
    if (plan.compatibility === 'frozen-source') {
      outcome = {
        message: `${
          plan.source.table
        } is now read-only at its old name; its consumers must repoint to ${
          plan.target.connection
        }:${plan.target.schema ? `${plan.target.schema}.` : ''}${
          plan.target.table
        } before finalize`,
      };
    }
    await ctx.progress({ done: 1, total: 1, unit: 'tables', event: outcome });
  },
  /**
   * Refuses (PermanentStepError) when the new table took writes since cutover: undoing
   * would drop them with it. The API refuses such a rollback before it gets here.
   */
  async undo(ctx) {
    const { plan } = ctx;
    if (plan.compatibility === 'frozen-source') {
      await runOnSource(ctx, plan.artifacts.cutoverRollback);
      return;
    }
    // Views: no backup means the cutover never happened (or was already undone).
    if (await backupExists(ctx)) await undoViewCutover(ctx);
    await restoreIncomingForeignKeys(ctx);
    await removeCaptureOnTarget(ctx);
  },
};
