import type { Knex } from 'knex';
import { firstRow } from '../../dialects/rawRows';
import type { TableName } from '../../dialects/Dialect';
import { mysqlKeyReferences } from '../../dialects/mysqlIncomingKeys';
import { postgresKeyReferences } from '../../dialects/postgresIncomingKeys';
import {
  lockTimeoutMsOf,
  runStatementsWithLockTimeout,
  tableLabel,
  withLockTimeout,
} from './lockTimeout';
import { PermanentStepError, StepContext, tableOf } from './Step';

type Direction = 'to-target' | 'to-source';

/** Which table a foreign key references now, per engine that can re-point one. */
const REFERENCES = {
  postgres: postgresKeyReferences,
  mysql: mysqlKeyReferences,
} as const;

const isSameTable = (a: TableName, b: TableName) =>
  a.table === b.table && (!a.schema || !b.schema || a.schema === b.schema);

/**
 * The plan's re-pointing statements per foreign key of `source.referencedBy`: two each
 * (drop, add), in that order, as the SQL agent generates them.
 */
function keysOf(ctx: StepContext, direction: Direction) {
  const { plan } = ctx;
  const statements =
    (direction === 'to-target'
      ? plan.artifacts.incomingForeignKeys
      : plan.artifacts.incomingForeignKeysRollback) ?? [];
  const keys = plan.source.referencedBy ?? [];
  if (statements.length === 0) return [];
  if (statements.length !== 2 * keys.length) {
    throw new PermanentStepError(
      `The plan of ${ctx.entityRef} has ${statements.length} statements to re-point the ${keys.length} foreign keys that reference ${plan.source.table}, not two each; generate and approve a new plan`,
    );
  }
  return keys.map((fk, i) => ({
    fk,
    drop: statements[2 * i],
    add: statements[2 * i + 1],
  }));
}

/**
 * MySQL/MariaDB copy the whole referencing table to add a foreign key unless
 * foreign_key_checks is off (then it is a change of metadata only). Off is sound here:
 * the keys move between the frozen source and the new table verified equal to it, with
 * no write to either in between. The session's value comes back before the connection
 * returns to the pool.
 */
async function withoutForeignKeyChecks<T>(
  db: Knex.Transaction,
  work: () => Promise<T>,
): Promise<T> {
  const previous = firstRow(
    await db.raw('SELECT @@SESSION.foreign_key_checks AS v'),
  )?.v;
  await db.raw('SET SESSION foreign_key_checks = 0');
  try {
    return await work();
  } finally {
    await db.raw('SET SESSION foreign_key_checks = ?', [Number(previous ?? 1)]);
  }
}

/**
 * Points each foreign key that referenced the source at the new table (`to-target`)
 * or back (`to-source`), skipping one that already references it: MySQL/MariaDB commit
 * each statement, so a retry after a crash finds some done, or one dropped and not yet
 * added (it is added).
 */
async function repoint(
  ctx: StepContext,
  db: Knex.Transaction,
  direction: Direction,
): Promise<void> {
  const engine = ctx.source.dialect.engine;
  if (engine !== 'postgres' && engine !== 'mysql') return;
  const to = tableOf(ctx.plan, direction === 'to-target' ? 'target' : 'source');
  for (const { fk, drop, add } of keysOf(ctx, direction)) {
    const now = await REFERENCES[engine](db, fk.from, fk.name);
    if (now && isSameTable(now, to)) continue;
    if (now) await db.raw(drop);
    await db.raw(add);
  }
}

const lockWhat = (ctx: StepContext, action: string) => {
  const from = (ctx.plan.source.referencedBy ?? []).map(
    fk => `${fk.from.schema ? `${fk.from.schema}.` : ''}${fk.from.table}`,
  );
  return {
    action,
    table: [tableLabel(ctx), ...new Set(from)].join(', '),
  };
};

/** Runs `direction`'s re-pointing with bounded lock waits, in `db` or a new transaction. */
async function runRepoint(
  ctx: StepContext,
  direction: Direction,
  action: string,
): Promise<void> {
  if (keysOf(ctx, direction).length === 0) return;
  await withLockTimeout(
    ctx.source,
    lockTimeoutMsOf(ctx),
    lockWhat(ctx, action),
    async db =>
      ctx.source.dialect.engine === 'mysql'
        ? withoutForeignKeyChecks(db, () => repoint(ctx, db, direction))
        : repoint(ctx, db, direction),
  );
}

/**
 * The cutover of a `view` plan: the foreign keys of other tables move to the new table
 * first, while the source is still frozen at its name, then the plan's cutover (rename,
 * view). Where DDL is transactional all of it is one transaction; on MySQL/MariaDB
 * each statement commits, and the caller puts the keys back when this fails.
 */
export async function cutOverWithIncomingForeignKeys(
  ctx: StepContext,
  action: string,
): Promise<void> {
  const { plan, source } = ctx;
  if (!source.dialect.isTransactionalDdl) {
    await runRepoint(ctx, 'to-target', `${action} (re-pointing foreign keys)`);
  } else if (keysOf(ctx, 'to-target').length === 0) {
    // No key to re-point (nothing to read first): the cutover's statements alone.
    await runStatementsWithLockTimeout(
      source,
      lockTimeoutMsOf(ctx),
      lockWhat(ctx, action),
      plan.artifacts.cutover,
    );
    return;
  }
  await withLockTimeout(
    source,
    lockTimeoutMsOf(ctx),
    lockWhat(ctx, action),
    async trx => {
      if (source.dialect.isTransactionalDdl)
        await repoint(ctx, trx, 'to-target');
      await source.dialect.runStatements(trx, plan.artifacts.cutover);
    },
  );
}

/**
 * Points the foreign keys back at the source, once it is back at its name (the
 * cutover's undo, or a MySQL cutover that failed half-way). Safe to repeat.
 */
export async function restoreIncomingForeignKeys(
  ctx: StepContext,
): Promise<void> {
  await runRepoint(
    ctx,
    'to-source',
    `Rollback of the cutover of ${ctx.entityRef} (pointing foreign keys back at ${ctx.plan.source.table})`,
  );
  await validateIncomingForeignKeys(ctx);
}

/**
 * PostgreSQL: validates the foreign keys added NOT VALID, each in its own transaction
 * (it scans the referencing table under a lock that lets writes go on). One already
 * valid is not scanned again; one that no longer exists is skipped.
 */
export async function validateIncomingForeignKeys(
  ctx: StepContext,
): Promise<void> {
  const { plan, source } = ctx;
  const statements = plan.artifacts.incomingForeignKeysValidation ?? [];
  const keys = plan.source.referencedBy ?? [];
  if (statements.length === 0 || source.dialect.engine !== 'postgres') return;
  if (statements.length !== keys.length) {
    throw new PermanentStepError(
      `The plan of ${ctx.entityRef} has ${statements.length} statements to validate the ${keys.length} foreign keys that reference ${plan.source.table}; generate and approve a new plan`,
    );
  }
  for (const [i, sql] of statements.entries()) {
    await withLockTimeout(
      source,
      lockTimeoutMsOf(ctx),
      lockWhat(ctx, `Validation of foreign key ${keys[i].name}`),
      async trx => {
        if (await postgresKeyReferences(trx, keys[i].from, keys[i].name))
          await trx.raw(sql);
      },
    );
  }
}
