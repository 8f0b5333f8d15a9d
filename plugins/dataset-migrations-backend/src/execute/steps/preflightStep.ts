import { PermanentStepError, Step } from './Step';

const shape = (t: {
  columns: unknown;
  primaryKey: unknown;
  indexes: unknown;
}) =>
  JSON.stringify({
    columns: t.columns,
    primaryKey: t.primaryKey,
    indexes: t.indexes,
  });

/**
 * Re-checks, right before anything changes, that the source is still the table the
 * plan was made for: same columns, types, keys and indexes. A changed source needs a
 * new plan, so this never retries.
 */
export const preflightStep: Step = {
  name: 'preflight',
  async run(ctx) {
    const { plan, source } = ctx;
    const now = await source.dialect.introspect(
      source.knex,
      source.connection,
      {
        schema: plan.source.schema,
        table: plan.source.table,
      },
      // The shape is all it compares: no count of the rows, which may be many.
      { shapeOnly: true },
    );
    if (shape(now) !== shape(plan.source)) {
      throw new PermanentStepError(
        `The schema of ${
          plan.source.table
        } changed since the plan ${plan.hash.slice(
          0,
          12,
        )} was approved; generate and approve a new plan`,
      );
    }
    await ctx.progress({ done: 1, total: 1, unit: 'checks' });
  },
  async undo() {
    // Nothing to undo: preflight only reads.
  },
};
