import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { firstRow } from '../dialects/rawRows';
import type { Dialect } from '../dialects/Dialect';
import { compatibilityLogOf } from '../plan/sql/generateArtifacts';
import { backupTableName } from '../dialects/names';
import { tableExists } from '../dialects/tableExists';

/**
 * How many writes (row changes; an UPDATE that changes the key counts twice) the new
 * table took since cutover, through the compatibility view or directly, as the plan's
 * `compatibilityCapture` logged them on the target. 0 when nothing was captured: a
 * `frozen-source` plan (no write reaches the new table through the old name), a plan
 * made before the capture existed, or a cutover that has not happened or was undone.
 */
export async function compatibilityWritesSinceCutover(
  plan: Plan,
  target: { knex: Knex; dialect: Dialect },
): Promise<number> {
  if (!plan.artifacts.compatibilityCapture?.length) return 0;
  const log = compatibilityLogOf(plan.target);
  const exists = await tableExists(
    target.knex,
    target.dialect.engine,
    log.schema,
    log.table,
  );
  if (!exists) return 0;
  const row = firstRow(
    await target.knex.raw(
      `SELECT COUNT(*) AS n FROM ${target.dialect.qualify(log)}`,
    ),
  );
  return Number(row?.n ?? 0);
}

/** Why rollback is refused once the new table took writes, for the API and the undo. */
export function compatibilityWritesRefusal(plan: Plan, writes: number): string {
  const target = `${plan.target.connection}:${
    plan.target.schema ? `${plan.target.schema}.` : ''
  }${plan.target.table}`;
  return `${writes} write${
    writes === 1 ? '' : 's'
  } went to the new table ${target} (through the compatibility view at ${
    plan.source.table
  } or directly) since cutover of ${
    plan.entityRef
  }; rolling back would lose them, because the old table does not have them. Finalize instead; or, if they may be discarded (or you carried them back to the backup ${backupTableName(
    plan.source.table,
  )} yourself), empty ${compatibilityLogOf(plan.target).table} on ${
    plan.target.connection
  } and roll back again`;
}
