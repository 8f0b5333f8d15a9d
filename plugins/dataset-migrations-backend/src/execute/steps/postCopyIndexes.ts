import { ownsTarget } from './provisionStep';
import {
  PermanentStepError,
  StepContext,
  tableOf,
  throwIfAborted,
} from './Step';

/**
 * The names of the indexes the target table has now, as the target's dialect reads
 * its catalog.
 */
async function standingIndexNames(ctx: StepContext): Promise<string[]> {
  const { knex, dialect, connection } = ctx.target;
  const table = await dialect.introspect(
    knex,
    connection,
    tableOf(ctx.plan, 'target'),
  );
  return table.indexes.map(index => index.name);
}

/**
 * Whether `sql` creates an index that already stands. Every dialect writes the index
 * name, quoted, right before ` ON ` (SQLite with the schema in front of it), and only
 * there: MySQL 8 has no CREATE INDEX IF NOT EXISTS, so the name decides on every engine
 * alike.
 */
const isBuilt = (ctx: StepContext, sql: string, standing: string[]) =>
  standing.some(name => sql.includes(`${ctx.target.dialect.quote(name)} ON `));

/**
 * Builds the new table's secondary indexes (`PlanArtifacts.postCopyDdl`) once the copy
 * has written every row: each index is built in one pass over the table instead of
 * being updated row by row. Safe to run again after a crash: an index an earlier
 * attempt built stands in the target's catalog and is skipped. Nothing to undo here:
 * the indexes go with the table, which provision's undo drops.
 */
export async function buildPostCopyIndexes(ctx: StepContext): Promise<void> {
  const statements = ctx.plan.artifacts.postCopyDdl ?? [];
  if (statements.length === 0) return;
  if (!(await ownsTarget(ctx))) {
    throw new PermanentStepError(
      `The target ${ctx.plan.target.connection}:${ctx.plan.target.table} of ${ctx.plan.source.connection}:${ctx.plan.source.table} was not created by this migration (it carries no mark of it), so its indexes will not be built on it; check who replaced it, drop or rename it yourself, and plan again`,
    );
  }
  const standing = await standingIndexNames(ctx);
  let built = 0;
  for (const sql of statements) {
    throwIfAborted(ctx);
    if (isBuilt(ctx, sql, standing)) continue;
    await ctx.target.knex.raw(sql);
    built += 1;
  }
  const kept = statements.length - built;
  await ctx.event(
    `Built ${built} indexes of ${ctx.plan.target.table} after the copy${
      kept > 0 ? ` (${kept} built by an earlier attempt were kept)` : ''
    }`,
    { indexesBuilt: built, indexesKept: kept },
  );
}
