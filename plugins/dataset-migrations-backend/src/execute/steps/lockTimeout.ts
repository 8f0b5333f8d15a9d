import type { Knex } from 'knex';
import { firstRow } from '../../dialects/rawRows';
import { DEFAULT_EXECUTOR_SETTINGS } from '../ExecutorSettings';
import type { Side, StepContext } from './Step';

/**
 * A DDL statement gave up waiting for a table lock. Retryable: the runner retries the
 * step with backoff, and readers never queue behind the DDL for longer than the bound.
 */
export class LockTimeoutError extends Error {}

/** PostgreSQL `lock_not_available`; MySQL/MariaDB `ER_LOCK_WAIT_TIMEOUT`. */
const isLockTimeout = (e: unknown) => {
  const { code, errno } = (e ?? {}) as { code?: unknown; errno?: unknown };
  return code === '55P03' || code === 'ER_LOCK_WAIT_TIMEOUT' || errno === 1205;
};

/** The source table as events and errors name it: `connection:schema.table`. */
export const tableLabel = (ctx: StepContext) =>
  `${ctx.source.connection}:${
    ctx.plan.source.schema ? `${ctx.plan.source.schema}.` : ''
  }${ctx.plan.source.table}`;

export const lockTimeoutMsOf = (ctx: StepContext) =>
  ctx.lockTimeoutMs ?? DEFAULT_EXECUTOR_SETTINGS.lockTimeoutMs;

/** PostgreSQL's `lock_timeout` setting for a bound in milliseconds. */
const postgresLockTimeout = (timeoutMs: number) =>
  `${Math.max(1, Math.round(timeoutMs))}ms`;

/** A lock wait that ran out as the `LockTimeoutError` saying what gave up; others as they are. */
function asLockTimeout(
  e: unknown,
  timeoutMs: number,
  what: { action: string; table: string },
): unknown {
  if (!isLockTimeout(e)) return e;
  const seconds = Math.round(timeoutMs / 100) / 10;
  return new LockTimeoutError(
    `${what.action} gave up after waiting ${seconds} s for a lock on ${what.table}: another session holds it (a long transaction reading or writing it), and readers would queue behind the wait. It is retried with backoff; if it keeps failing, end the long transactions on ${what.table} or raise datasetMigrations.executor.lockTimeoutSeconds`,
  );
}

/**
 * Runs `work` on one connection of `side` whose lock waits are bounded by `timeoutMs`:
 * PostgreSQL and SQLite in one transaction (PostgreSQL: `lock_timeout` set local to
 * it); MySQL/MariaDB, whose DDL commits by itself, with the session's
 * `lock_wait_timeout` (whole seconds) lowered for the work and restored after, since
 * the connection goes back to the pool. A lock wait that runs out becomes a
 * `LockTimeoutError` saying `what` gave up and what to do.
 */
export async function withLockTimeout<T>(
  side: Side,
  timeoutMs: number,
  what: { action: string; table: string },
  work: (db: Knex.Transaction) => Promise<T>,
): Promise<T> {
  const { knex, dialect } = side;
  try {
    return await knex.transaction(async trx => {
      if (dialect.engine === 'postgres') {
        await trx.raw(`SELECT set_config('lock_timeout', ?, true)`, [
          postgresLockTimeout(timeoutMs),
        ]);
        return work(trx);
      }
      if (dialect.engine !== 'mysql') return work(trx);
      const previous = firstRow(
        await trx.raw('SELECT @@SESSION.lock_wait_timeout AS v'),
      )?.v;
      await trx.raw('SET SESSION lock_wait_timeout = ?', [
        Math.max(1, Math.ceil(timeoutMs / 1000)),
      ]);
      try {
        return await work(trx);
      } finally {
        await trx.raw('SET SESSION lock_wait_timeout = ?', [Number(previous)]);
      }
    });
  } catch (e) {
    throw asLockTimeout(e, timeoutMs, what);
  }
}

/**
 * Generated statements (no bindings) as `withLockTimeout` runs them. On PostgreSQL the
 * bound and the statements go as one string, one implicit transaction (one round trip
 * where BEGIN, the setting, the statements and COMMIT took four): `set_config(…, true)`
 * holds until that transaction ends, as it did until COMMIT.
 */
export async function runStatementsWithLockTimeout(
  side: Side,
  timeoutMs: number,
  what: { action: string; table: string },
  statements: readonly string[],
): Promise<void> {
  if (statements.length === 0) return;
  const { knex, dialect } = side;
  if (dialect.engine !== 'postgres') {
    await withLockTimeout(side, timeoutMs, what, db =>
      dialect.runStatements(db, statements),
    );
    return;
  }
  const bound = dialect.literal(postgresLockTimeout(timeoutMs));
  try {
    await dialect.runAtomically(knex, [
      `SELECT set_config('lock_timeout', ${bound}, true)`,
      ...statements,
    ]);
  } catch (e) {
    throw asLockTimeout(e, timeoutMs, what);
  }
}

/** `statements` run one after another under `withLockTimeout`. */
export async function runWithLockTimeout(
  ctx: StepContext,
  side: Side,
  statements: string[],
  action: string,
): Promise<void> {
  await runStatementsWithLockTimeout(
    side,
    lockTimeoutMsOf(ctx),
    { action, table: tableLabel(ctx) },
    statements,
  );
}
