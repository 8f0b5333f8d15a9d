import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  Plan,
  StepName,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import type { ForeignServerSettings } from '../../connections/foreignServerSettings';
import type { Dialect } from '../../plan/dialects/Dialect';

/** One side of the move: a database and its dialect. */
export type Side = { connection: string; knex: Knex; dialect: Dialect };

/** What a step gets to do its work; everything it persists goes through here. */
export type StepContext = {
  migrationId: string;
  entityRef: string;
  plan: Plan;
  source: Side;
  target: Side;
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
  /** Aborted when the lease is lost or the migration is cancelled: stop at the next batch. */
  signal: AbortSignal;
  logger: LoggerService;
  checkpoint<T>(): Promise<T | undefined>;
  /** Saves progress and, optionally, the checkpoint the step resumes from. */
  progress(update: {
    done: number;
    total?: number | null;
    unit?: string | null;
    checkpoint?: unknown;
  }): Promise<void>;
  event(message: string, data?: Record<string, unknown>): Promise<void>;
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

/** A failure that retrying cannot fix (the data or the schema is wrong, not the network). */
export class PermanentStepError extends Error {}

/** Throws when the context was aborted, so loops stop between batches. */
export function throwIfAborted(ctx: StepContext): void {
  if (ctx.signal.aborted) {
    throw ctx.signal.reason instanceof Error
      ? ctx.signal.reason
      : new Error('Step aborted');
  }
}

export const tableOf = (plan: Plan, side: 'source' | 'target') =>
  side === 'source'
    ? { schema: plan.source.schema, table: plan.source.table }
    : { schema: plan.target.schema, table: plan.target.table };

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
    await knex.transaction(async trx => {
      // Migrations of different tables share functions on one PostgreSQL database
      // (the freeze's trigger function): two transactions replacing one at once fail
      // with "tuple concurrently updated", so their DDL on a database takes turns.
      if (dialect.engine === 'postgres') {
        await trx.raw(
          `SELECT pg_advisory_xact_lock(hashtext('dataset-migrations:ddl'))`,
        );
      }
      for (const sql of statements) await trx.raw(sql);
    });
  } else {
    for (const sql of statements) await knex.raw(sql);
  }
}
