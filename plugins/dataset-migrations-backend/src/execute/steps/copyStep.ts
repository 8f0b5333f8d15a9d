import { firstRow } from '../../dialects/rawRows';
import { isKeyRangeShared } from '../../copy/keyRange';
import type { CopyCheckpoint } from '../../copy/strategies/CopyCheckpoint';
import { keysetBatches } from '../../copy/strategies/keysetBatches';
import { onePassCopy } from '../../copy/strategies/onePassCopy';
import { pipedRanges } from '../../copy/strategies/pipedRanges';
import { pushDownCopy } from '../../copy/strategies/pushDownCopy';
import { streamedRanges } from '../../copy/strategies/streamedRanges';
import { readsStreamedRanges } from '../../copy/reviewedStatements';
import { buildPostCopyIndexes } from './postCopyIndexes';
import { ownsTarget } from './provisionStep';
import { PermanentStepError, Step, StepContext, tableOf } from './Step';

async function countRows(ctx: StepContext): Promise<number> {
  const { dialect, knex } = ctx.source;
  const row = firstRow(
    await knex.raw(
      `SELECT COUNT(*) AS ${dialect.quote('n')} FROM ${dialect.qualify(
        tableOf(ctx.plan, 'source'),
      )}`,
    ),
  );
  return Number(row?.n ?? 0);
}

/**
 * Moves the rows by the plan's strategy: push-down inside one database, COPY piped into
 * COPY between PostgreSQL databases, key ranges streamed into COPY from MySQL/MariaDB
 * into PostgreSQL, keyset batches otherwise, one pass without a key.
 */
async function copyRows(
  ctx: StepContext,
  saved: CopyCheckpoint | undefined,
): Promise<void> {
  // Every strategy may empty or clear rows of the target: only of a table this
  // migration created (someone may have swapped it since provision).
  if (!(await ownsTarget(ctx))) {
    throw new PermanentStepError(
      `The target ${ctx.plan.target.connection}:${ctx.plan.target.table} of ${ctx.plan.source.connection}:${ctx.plan.source.table} was not created by this migration (it carries no mark of it), so the copy will not write into it; check who replaced it, drop or rename it yourself, and plan again`,
    );
  }
  if (ctx.plan.copyStrategy === 'push-down') {
    await ctx.progress({ done: 0, total: null, unit: 'rows' });
    await pushDownCopy(ctx);
    return;
  }
  const total = saved?.total ?? (await countRows(ctx));
  await ctx.progress({ done: saved?.done ?? 0, total, unit: 'rows' });
  const start = saved ?? { lastKey: null, done: 0, total };
  const isRangeShared = isKeyRangeShared(
    ctx.plan,
    ctx.source.dialect,
    ctx.target.dialect,
  );
  if (ctx.plan.copyKey.length === 0) {
    await onePassCopy(ctx, total);
  } else if (ctx.plan.copyStrategy === 'copy-pipe') {
    await pipedRanges(ctx, start, isRangeShared);
  } else if (readsStreamedRanges(ctx)) {
    await streamedRanges(ctx, start, isRangeShared);
  } else {
    await keysetBatches(ctx, start, isRangeShared);
  }
}

/**
 * Copies the rows, then builds the indexes the plan leaves until after the copy. A
 * resumed step whose copy was complete goes straight to the indexes: a crash may have
 * come between the last row and the last index.
 */
export const copyStep: Step = {
  name: 'copy',
  async run(ctx) {
    const saved = await ctx.checkpoint<CopyCheckpoint>();
    if (!saved?.isComplete) await copyRows(ctx, saved);
    await buildPostCopyIndexes(ctx);
  },
  async undo() {
    // The provision step's undo drops the target table with every copied row (and the
    // indexes built after the copy).
  },
};
