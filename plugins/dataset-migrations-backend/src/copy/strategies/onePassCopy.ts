import type { CopyContext } from '../CopyContext';
import { tableOf, throwIfAborted } from '../CopyContext';
import { allRows } from '../../dialects/rawRows';
import { createRowWriter } from '../rowWriter';
import { saveCheckpoint, emptyTarget } from './CopyCheckpoint';

/**
 * No key to resume by: the whole table in one target transaction that first empties
 * the target, read in pages ordered by every column, so a retry simply starts over.
 */
export async function onePassCopy(
  ctx: CopyContext,
  total: number,
): Promise<void> {
  const { dialect } = ctx.source;
  const writer = createRowWriter(
    ctx.plan,
    ctx.target.dialect,
    ctx.target.dialect.engine,
  );
  const order = `ORDER BY ${ctx.plan.source.columns
    .map(c => dialect.quote(c.name))
    .join(', ')}`;
  const page = 5000;
  let done = 0;
  await ctx.target.knex.transaction(async trx => {
    await emptyTarget(trx, ctx);
    for (let offset = 0; ; offset += page) {
      throwIfAborted(ctx);
      const rows = allRows(
        await ctx.source.knex.raw(
          `${ctx.plan.artifacts.copy}\n${order}\n${dialect.limit(
            page,
          )} OFFSET ${offset}`,
        ),
      );
      await writer.write(
        trx,
        tableOf(ctx.plan, 'target'),
        writer.convert(rows),
      );
      done += rows.length;
      if (rows.length < page) break;
    }
  });
  await saveCheckpoint(ctx, { lastKey: null, done, total, isComplete: true });
}
