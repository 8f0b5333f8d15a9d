import type { StepName } from '@internal/backstage-plugin-dataset-migrations-common';
import type { CopyContext } from '../../copy/CopyContext';
import type { ForeignServerSettings } from '../../connections/foreignServerSettings';

/** What a step gets to do its work: a copy's context, and the migration around it. */
export type StepContext = CopyContext & {
  migrationId: string;
  /**
   * `foreign-view` plans: how the source database reaches the target through
   * postgres_fdw, from app-config; undefined when the admin no longer enables the pair.
   * Secret: for the cutover's own statements, never for events or logs.
   */
  foreignServer?: ForeignServerSettings;
  /**
   * How long cutover and cleanup wait for a table lock before the attempt fails and is
   * retried (`ExecutorSettings.lockTimeoutMs`; its default when absent).
   */
  lockTimeoutMs?: number;
};

/**
 * A stage of a migration (pgroll-style: one module per operation). `run` must be safe
 * to call again after a crash at any point (it resumes from its checkpoint); `undo`
 * puts back what `run` changed and is safe to repeat too.
 */
export interface Step {
  readonly name: StepName;
  run(ctx: StepContext): Promise<void>;
  undo(ctx: StepContext): Promise<void>;
}

/**
 * Runs statements on the source, atomically where the engine has transactional DDL;
 * elsewhere (MySQL commits each DDL statement) one by one, so they must be safe to
 * run again from the start.
 */
export async function runOnSource(
  ctx: StepContext,
  statements: string[],
): Promise<void> {
  const { knex, dialect } = ctx.source;
  if (statements.length === 0) return;
  if (dialect.isTransactionalDdl) {
    // Migrations of different tables share functions on one PostgreSQL database
    // (the freeze's trigger function): two transactions replacing one at once fail
    // with "tuple concurrently updated", so their DDL on a database takes turns.
    const takeTurns =
      dialect.engine === 'postgres'
        ? [`SELECT pg_advisory_xact_lock(hashtext('dataset-migrations:ddl'))`]
        : [];
    await dialect.runAtomically(knex, [...takeTurns, ...statements]);
  } else {
    await dialect.runStatements(knex, statements);
  }
}

export { PermanentStepError } from '../../errors/PermanentStepError';
export type { Side } from '../../copy/CopyContext';
export { tableOf, throwIfAborted } from '../../copy/CopyContext';
