import type { Engine } from '@internal/backstage-plugin-dataset-migrations-common';
import type { ConsumerTableName } from '@internal/backstage-plugin-dataset-migrations-node';
import type { Knex } from 'knex';
import type { ParityRow } from './parityValues';

/**
 * Bounds for running a consumer's statement against real data. `lockTimeoutMs` bounds
 * how long a write waits for a row or table lock: a live writer holding one must not
 * be queued behind a consumer's check, and the check gives up instead.
 */
export type ParityLimits = {
  timeoutMs: number;
  rowLimit: number;
  lockTimeoutMs: number;
};

export type ReadResult = {
  rows: ParityRow[];
  /** All rows of the result, even when only `rows.length` were fetched. */
  total: number;
  /** Whether `rows` is the first `rowLimit` rows of a larger result in a total order. */
  isCapped: boolean;
};

export type WriteResult = {
  affected: number;
  /** The written table after the statement, or null when larger than the row limit. */
  contents: ParityRow[] | null;
  tableRows: number;
};

/**
 * Everything runs in a transaction that is rolled back: a consumer's statement must
 * never change the data it is checked against. The timeout cancels the statement on
 * PostgreSQL and MySQL; better-sqlite3 runs synchronously and cannot be interrupted, so
 * on SQLite only the row limit bounds the work.
 */
async function inRolledBackTransaction<T>(
  knex: Knex,
  work: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  const trx = await knex.transaction();
  try {
    return await work(trx);
  } finally {
    await trx.rollback().catch(() => undefined);
  }
}

function guarded(
  trx: Knex.Transaction,
  sql: string,
  engine: Engine,
  limits: ParityLimits,
) {
  const query = trx.raw(sql);
  return engine === 'sqlite'
    ? query
    : query.timeout(limits.timeoutMs, { cancel: true });
}

function rowsOf(result: unknown, engine: Engine): ParityRow[] {
  if (engine === 'postgres') return (result as { rows: ParityRow[] }).rows;
  if (engine === 'mysql') return (result as [ParityRow[]])[0];
  return result as ParityRow[];
}

/**
 * Reads a query's result. Its size is counted first (the query wrapped as a derived
 * table); a result over the row limit is compared on its first `rowLimit` rows ordered
 * by every column, so both sides cut at the same rows. A query that cannot be wrapped
 * (MySQL refuses duplicate column names in a derived table) is read whole.
 */
export async function readSide(
  knex: Knex,
  sql: string,
  engine: Engine,
  limits: ParityLimits,
): Promise<ReadResult> {
  // A trailing `-- comment` in the statement must not swallow the closing parenthesis.
  const wrapped = `(\n${sql}\n) parity_q`;
  return inRolledBackTransaction(knex, async trx => {
    let total: number;
    try {
      const [count] = rowsOf(
        await guarded(
          trx,
          `SELECT COUNT(*) AS n FROM ${wrapped}`,
          engine,
          limits,
        ),
        engine,
      );
      total = Number(count.n);
    } catch {
      await trx.rollback().catch(() => undefined);
      return inRolledBackTransaction(knex, async again => {
        const rows = rowsOf(await guarded(again, sql, engine, limits), engine);
        return { rows, total: rows.length, isCapped: false };
      });
    }
    if (total <= limits.rowLimit) {
      const rows = rowsOf(await guarded(trx, sql, engine, limits), engine);
      return { rows, total, isCapped: false };
    }
    const [probe] = rowsOf(
      await guarded(trx, `SELECT * FROM ${wrapped} LIMIT 1`, engine, limits),
      engine,
    );
    const positions = Object.keys(probe).map((_, i) => i + 1);
    const capped = `SELECT * FROM ${wrapped} ORDER BY ${positions.join(
      ', ',
    )} LIMIT ${limits.rowLimit}`;
    const rows = rowsOf(await guarded(trx, capped, engine, limits), engine);
    return { rows, total, isCapped: true };
  });
}

function affectedRows(result: unknown, engine: Engine): number {
  if (engine === 'postgres')
    return (result as { rowCount: number }).rowCount ?? 0;
  if (engine === 'mysql') {
    const [header] = result as [{ affectedRows?: number } | ParityRow[]];
    return Array.isArray(header) ? header.length : header.affectedRows ?? 0;
  }
  if (Array.isArray(result)) return result.length; // RETURNING makes it a reader
  return (result as { changes?: number }).changes ?? 0;
}

/** PostgreSQL `lock_not_available`; MySQL/MariaDB `ER_LOCK_WAIT_TIMEOUT`. */
export const isLockTimeout = (e: unknown) => {
  const { code, errno } = (e ?? {}) as { code?: unknown; errno?: unknown };
  return code === '55P03' || code === 'ER_LOCK_WAIT_TIMEOUT' || errno === 1205;
};

/**
 * Runs `work` with lock waits bounded by `limits.lockTimeoutMs`: PostgreSQL's
 * `lock_timeout` set local to the transaction (gone with its rollback); MySQL/MariaDB's
 * session `innodb_lock_wait_timeout` (whole seconds) lowered for the work and restored
 * after, since the connection goes back to the pool. SQLite has one writer per file and
 * the driver's busy timeout already bounds the wait for it.
 */
async function withLockWaitBound<T>(
  trx: Knex.Transaction,
  engine: Engine,
  limits: ParityLimits,
  work: () => Promise<T>,
): Promise<T> {
  if (engine === 'postgres') {
    await trx.raw(`SELECT set_config('lock_timeout', ?, true)`, [
      `${Math.max(1, Math.round(limits.lockTimeoutMs))}ms`,
    ]);
    return work();
  }
  if (engine !== 'mysql') return work();
  const [{ v: previous }] = rowsOf(
    await trx.raw('SELECT @@SESSION.innodb_lock_wait_timeout AS v'),
    engine,
  );
  await trx.raw('SET SESSION innodb_lock_wait_timeout = ?', [
    Math.max(1, Math.ceil(limits.lockTimeoutMs / 1000)),
  ]);
  try {
    return await work();
  } finally {
    await trx.raw('SET SESSION innodb_lock_wait_timeout = ?', [
      Number(previous),
    ]);
  }
}

/**
 * Runs a write and reads back the table it wrote, then rolls both back: whatever the
 * write did, triggers included (a change-capture row, a freeze's refusal), is undone.
 * The contents are read only when the table is within the row limit.
 */
export async function writeSide(
  knex: Knex,
  sql: string,
  engine: Engine,
  table: ConsumerTableName | undefined,
  limits: ParityLimits,
): Promise<WriteResult> {
  return inRolledBackTransaction(knex, async trx => {
    const affected = affectedRows(
      await withLockWaitBound(trx, engine, limits, () =>
        guarded(trx, sql, engine, limits),
      ),
      engine,
    );
    if (!table) return { affected, contents: null, tableRows: 0 };
    const from = () =>
      table.schema && engine !== 'sqlite'
        ? trx.withSchema(table.schema).from(table.table)
        : trx.from(table.table);
    const [{ n }] = await from().count({ n: '*' });
    const tableRows = Number(n);
    const contents =
      tableRows <= limits.rowLimit
        ? ((await from().select('*')) as ParityRow[])
        : null;
    return { affected, contents, tableRows };
  });
}
