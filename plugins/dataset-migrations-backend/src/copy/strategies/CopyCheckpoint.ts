import type { Knex } from 'knex';
import type { StepContext } from '../../execute/steps/Step';
import { tableOf } from '../../execute/steps/Step';

/** What the copy step persists after every committed batch. */
export type CopyCheckpoint = {
  /** Source key of the last committed row; null before the first batch. */
  lastKey: unknown[] | null;
  done: number;
  total: number;
  isComplete?: boolean;
};

/** Saves a committed batch's progress and the key the next attempt resumes after. */
export function saveCheckpoint(
  ctx: StepContext,
  checkpoint: CopyCheckpoint,
): Promise<void> {
  return ctx.progress({
    done: checkpoint.done,
    total: Math.max(checkpoint.done, checkpoint.total),
    unit: 'rows',
    checkpoint,
  });
}

/** A query builder on the target table. */
export function targetQuery(knex: Knex | Knex.Transaction, ctx: StepContext) {
  const { schema, table } = tableOf(ctx.plan, 'target');
  return schema ? knex.withSchema(schema).table(table) : knex.table(table);
}
