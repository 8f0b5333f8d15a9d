import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import { PermanentStepError } from '../errors/PermanentStepError';
import type { Dialect } from '../dialects/Dialect';
import {
  batchQueryTemplate,
  catchUpTemplates,
  CopyShape,
  STREAMED_RANGE_ROWS,
  streamsRangesIntoCopy,
} from '../plan/sql/generateArtifacts';
import { keyHoleNames } from '../plan/sql/keyRangeSql';
import type { SqlTemplate } from '../plan/sql/SqlTemplate';
import { keyLiteral } from './keyLiteral';

/** A stored plan and the dialects of its two sides (a step's context is one). */
type PlanSides = {
  plan: Plan;
  source: { dialect: Dialect };
  target: { dialect: Dialect };
};

/** The copy's parts as the plan stores them, with the dialects of both sides. */
function copyShapeOf(ctx: PlanSides): CopyShape {
  const { plan } = ctx;
  return {
    sourceDialect: ctx.source.dialect,
    targetDialect: ctx.target.dialect,
    source: { schema: plan.source.schema, table: plan.source.table },
    target: { schema: plan.target.schema, table: plan.target.table },
    copyKey: plan.copyKey,
    copyStrategy: plan.copyStrategy,
    columns: plan.columns,
  };
}

/**
 * The template only if its text is exactly the statement the person approved: the
 * executor fills holes it built itself, by position, and still runs reviewed SQL.
 */
function asReviewed(
  ctx: PlanSides,
  template: SqlTemplate,
  reviewed: string | undefined,
  artifact: keyof Plan['artifacts'],
): SqlTemplate {
  if (template.text() !== reviewed) {
    throw new PermanentStepError(
      `The plan's ${artifact} SQL for ${ctx.plan.source.connection}:${ctx.plan.source.table} is not what the built-in SQL agent generates for this plan (made by ${ctx.plan.agent.id}@${ctx.plan.agent.version}), so its key holes cannot be filled safely; generate and approve a new plan`,
    );
  }
  return template;
}

/**
 * The keyset copy's next-batch query (`copyNext`) reading `rows` rows, its `:after_<i>`
 * holes kept.
 */
export function nextBatchTemplate(ctx: PlanSides, rows: number): SqlTemplate {
  return asReviewed(
    ctx,
    batchQueryTemplate(copyShapeOf(ctx), { afterKey: true, limit: rows }),
    ctx.plan.artifacts.copyNext,
    'copyNext',
  );
}

/**
 * Whether the plan's reviewed `copyNext` reads key ranges of `STREAMED_RANGE_ROWS`
 * (plans made since the MySQL/MariaDB -> PostgreSQL copy streams its ranges) rather
 * than keyset batches: a plan approved before still runs as it was shown.
 */
export function readsStreamedRanges(ctx: PlanSides): boolean {
  const shape = copyShapeOf(ctx);
  return (
    streamsRangesIntoCopy(shape) &&
    ctx.plan.artifacts.copyNext ===
      batchQueryTemplate(shape, {
        afterKey: true,
        limit: STREAMED_RANGE_ROWS,
      }).text()
  );
}

/** The next batch after `after` (the last key read, as the source's driver gave it). */
export function fillAfterKey(
  template: SqlTemplate,
  dialect: Dialect,
  after: unknown[],
): string {
  const holes = keyHoleNames('after', after.length);
  return template.fill(hole => keyLiteral(dialect, after[holes.indexOf(hole)]));
}

/** The catch-up statements (`catchUp`), their `:dm_seqs` holes kept. */
export function catchUpStatementTemplates(ctx: PlanSides): SqlTemplate[] {
  const reviewed = ctx.plan.artifacts.catchUp ?? [];
  const templates = catchUpTemplates(copyShapeOf(ctx));
  if (templates.length !== reviewed.length) {
    throw new PermanentStepError(
      `The plan's catchUp SQL for ${ctx.plan.source.connection}:${ctx.plan.source.table} has ${reviewed.length} statements where ${templates.length} are generated for it; generate and approve a new plan`,
    );
  }
  return templates.map((t, i) => asReviewed(ctx, t, reviewed[i], 'catchUp'));
}
