import { targetExistsMessage } from '../../plan/lint/findExistingTarget';
import {
  PermanentStepError,
  runOnSource,
  Step,
  StepContext,
  tableOf,
} from './Step';

/**
 * Whether the target table carries this migration's owner mark: only then did this
 * migration create it, and only then may it empty or drop it.
 */
export async function ownsTarget(ctx: StepContext): Promise<boolean> {
  const { knex, dialect } = ctx.target;
  return (
    (await dialect.tableOwner(knex, tableOf(ctx.plan, 'target'))) ===
    ctx.migrationId
  );
}

/**
 * Refuses a target this migration did not create (someone made a table of that name
 * after the plan was approved), touching nothing. Retrying cannot fix it.
 */
async function refuseForeignTarget(ctx: StepContext): Promise<void> {
  const { knex, dialect } = ctx.target;
  const found = await dialect.findRelations(knex, tableOf(ctx.plan, 'target'));
  if (found.length > 0) {
    throw new PermanentStepError(targetExistsMessage(ctx.plan, found));
  }
}

/**
 * The target DDL with this migration's owner mark on the table, made with the CREATE
 * itself (same statement, or same transaction), so a crash never leaves an unmarked
 * table behind that a resumed provision would then refuse.
 */
function ownedTargetDdl(ctx: StepContext): string[] {
  const [createTable, ...indexes] = ctx.plan.artifacts.targetDdl;
  return [
    ...ctx.target.dialect.createOwnedTable(
      createTable,
      tableOf(ctx.plan, 'target'),
      ctx.migrationId,
    ),
    ...indexes,
  ];
}

async function createTarget(ctx: StepContext): Promise<void> {
  const { knex, dialect } = ctx.target;
  const statements = ownedTargetDdl(ctx);
  if (dialect.isTransactionalDdl) {
    await dialect.runAtomically(knex, statements);
    return;
  }
  try {
    await dialect.runStatements(knex, statements);
  } catch (e) {
    // MySQL commits each DDL statement: take back a half-made table before retrying,
    // but only ours. A CREATE that failed because someone else's table stands there
    // must leave that table alone.
    if (await ownsTarget(ctx)) {
      for (const sql of ctx.plan.artifacts.rollback) await knex.raw(sql);
    }
    throw e;
  }
}

/**
 * Starts change capture on the source (or, without a copy key, freezes it), so every
 * write from here on can be caught up. Whatever a crashed attempt left is removed
 * first: the copy starts only once provision succeeded, so nothing logged so far
 * matters yet. Returns the event that says so, for the step's last progress report to
 * write (undefined when the plan captures nothing).
 */
async function startCapture(
  ctx: StepContext,
): Promise<{ message: string } | undefined> {
  const { capture = [], captureRemoval = [] } = ctx.plan.artifacts;
  if (capture.length === 0) return undefined;
  await runOnSource(ctx, [...captureRemoval, ...capture]);
  return {
    message:
      ctx.plan.copyKey.length > 0
        ? `Capturing writes to ${ctx.plan.source.table} for catch-up`
        : `${ctx.plan.source.table} has no copy key to catch up by: it refuses writes until cutover`,
  };
}

/**
 * Creates the target table, its key and indexes, marked as this migration's; a table
 * with its mark from an earlier attempt is kept, any other object of that name fails
 * the step untouched. Then starts change capture on the source.
 */
export const provisionStep: Step = {
  name: 'provision',
  async run(ctx) {
    const target = tableOf(ctx.plan, 'target');
    if (await ownsTarget(ctx)) {
      await ctx.event(
        `Target table ${target.table} was created by this migration in an earlier attempt; keeping it`,
      );
    } else {
      await refuseForeignTarget(ctx);
      await createTarget(ctx);
      await ctx.event(
        `Created target table ${target.table}, marked as this migration's: only this migration's undo drops it`,
        { createdTarget: true },
      );
    }
    const captured = await startCapture(ctx);
    await ctx.progress({ done: 1, total: 1, unit: 'tables', event: captured });
  },
  async undo(ctx) {
    await runOnSource(ctx, ctx.plan.artifacts.captureRemoval ?? []);
    if (await ownsTarget(ctx)) {
      for (const sql of ctx.plan.artifacts.rollback)
        await ctx.target.knex.raw(sql);
      return;
    }
    const found = await ctx.target.dialect.findRelations(
      ctx.target.knex,
      tableOf(ctx.plan, 'target'),
    );
    if (found.length > 0) {
      await ctx.event(
        `Left ${ctx.plan.target.table} as it is: this migration did not create it`,
        { createdTarget: false },
      );
    }
  },
};
