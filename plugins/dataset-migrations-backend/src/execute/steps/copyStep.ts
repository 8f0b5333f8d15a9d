import { firstRow } from '../../connections/rawRows';
import { isKeyRangeShared } from '../../copy/keyRange';
import type { CopyCheckpoint } from '../../copy/strategies/CopyCheckpoint';
import { keysetBatches } from '../../copy/strategies/keysetBatches';
import { onePassCopy } from '../../copy/strategies/onePassCopy';
import { pipedRanges } from '../../copy/strategies/pipedRanges';
import { pushDownCopy } from '../../copy/strategies/pushDownCopy';
import { Step, StepContext, tableOf } from './Step';

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
 * COPY between PostgreSQL databases, keyset batches otherwise, one pass without a key.
 */
export const copyStep: Step = {
  name: 'copy',
  async run(ctx) {
    const saved = await ctx.checkpoint<CopyCheckpoint>();
    if (saved?.isComplete) return;
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
    } else {
      await keysetBatches(ctx, start, isRangeShared);
    }
  },
  async undo() {
    // The provision step's undo drops the target table with every copied row.
  },
};
