import type { StepContext } from './Step';
import { runWithLockTimeout } from './lockTimeout';

/**
 * A constraint of that name already stands: an earlier attempt added it. PostgreSQL
 * `duplicate_object`; MySQL/MariaDB `ER_FK_DUP_NAME` and `ER_DUP_CONSTRAINT_NAME`
 * (1826), `ER_DUP_KEYNAME` (1061).
 */
const isAlreadyThere = (e: unknown) => {
  const { code, errno } = (e ?? {}) as { code?: unknown; errno?: unknown };
  return code === '42710' || errno === 1826 || errno === 1061;
};

/**
 * Adds the new table's foreign keys (`PlanArtifacts.targetConstraints`) on the target,
 * each validated against the copied rows. Runs after the last catch-up, when the
 * source is frozen and nothing replays into the target any more, and before readers
 * are switched to the new table. Safe to run again: a constraint an earlier attempt
 * added is kept (PostgreSQL's VALIDATE runs again and is cheap once valid). Lock waits
 * on the referenced tables are bounded like the cutover's.
 */
export async function addTargetConstraints(ctx: StepContext): Promise<void> {
  const statements = ctx.plan.artifacts.targetConstraints ?? [];
  if (statements.length === 0) return;
  for (const sql of statements) {
    try {
      await runWithLockTimeout(
        ctx,
        ctx.target,
        [sql],
        `Adding the foreign keys of ${ctx.plan.target.table} for ${ctx.entityRef}`,
      );
    } catch (e) {
      if (!isAlreadyThere(e)) throw e;
    }
  }
  await ctx.event(
    `Added the foreign keys of ${ctx.plan.target.table}, validated against the copied rows`,
  );
}
