import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import type { ConsumerRewriteInput } from '@internal/backstage-plugin-dataset-migrations-node';

/** What a consumer agent is told about the move: the plan's names, old and new. */
export type ConsumerMove = Omit<ConsumerRewriteInput, 'text'>;

export function consumerMove(plan: Plan): ConsumerMove {
  return {
    engine: plan.source.engine,
    from: { schema: plan.source.schema, table: plan.source.table },
    to: { schema: plan.target.schema, table: plan.target.table },
    columns: plan.columns
      .filter(c => c.source !== null && c.source !== c.target)
      .map(c => ({ from: c.source!, to: c.target })),
    // In table order: `SELECT *` and an INSERT without a column list need them.
    sourceColumns: plan.source.columns.map(c => c.name),
  };
}
