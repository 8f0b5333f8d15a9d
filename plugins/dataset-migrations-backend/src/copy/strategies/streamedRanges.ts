import type { CopyContext } from '../CopyContext';
import { tableOf, throwIfAborted } from '../CopyContext';
import { hasKeysBetween, lastKeyOf, targetKeyColumns } from '../keyRange';
import { streamMysqlIntoCopy } from '../mysqlCopyStream';
import { copyIntoTable } from '../pgCopyWriter';
import { fillAfterKey, nextBatchTemplate } from '../reviewedStatements';
import { createRowWriter } from '../rowWriter';
import { STREAMED_RANGE_ROWS } from '../../plan/sql/generateArtifacts';
import {
  clearAfterCheckpoint,
  CopyCheckpoint,
  saveCheckpoint,
} from './CopyCheckpoint';

/**
 * MySQL/MariaDB into PostgreSQL: the plan's `copy`, then `copyNext` after the last key,
 * each a range of `STREAMED_RANGE_ROWS` keys whose rows stream from one SELECT into one
 * COPY in one target transaction, so the source reads, Node renders and the target
 * writes at the same time, with no round trip per few thousand rows. A range commits,
 * then its last key is checkpointed. A crash between the two leaves a range after the
 * checkpoint: with a key both sides order alike (`isRangeShared`) a resumed run deletes
 * those rows first; otherwise each range lands in a staging table and goes on with
 * insert-or-ignore (`copyIntoTable`). The copy stops at the source's last key when it
 * started; later rows are in the change log for catch-up.
 */
export async function streamedRanges(
  ctx: CopyContext,
  start: CopyCheckpoint,
  isRangeShared: boolean,
): Promise<void> {
  const target = tableOf(ctx.plan, 'target');
  const writer = createRowWriter(
    ctx.plan,
    ctx.target.dialect,
    ctx.target.dialect.engine,
  );
  const columns = ctx.plan.columns.map(c => c.target);
  const keyCount = ctx.plan.copyKey.length;
  // The holes of the next-range query are filled by position, never found in its text.
  const nextRange = nextBatchTemplate(ctx, STREAMED_RANGE_ROWS);
  const select = (after: unknown[] | null) =>
    after
      ? fillAfterKey(nextRange, ctx.source.dialect, after)
      : ctx.plan.artifacts.copy;
  // The select's values: the target columns in plan order, then the key (`dm_k<i>`).
  const keyOf = (values: unknown[]) => values.slice(values.length - keyCount);

  const copyRange = (after: unknown[] | null) =>
    ctx.target.knex.transaction(async trx => {
      let last: unknown[] | null = null;
      const rows = await copyIntoTable(
        trx,
        ctx.target.dialect,
        target,
        columns,
        async copyIn => {
          const streamed = await streamMysqlIntoCopy(
            ctx.source.knex,
            trx,
            select(after),
            copyIn,
            writer.copyLine,
          );
          last = streamed.last;
          return streamed.rows;
        },
        isRangeShared ? undefined : targetKeyColumns(ctx.plan),
      );
      return { rows, lastKey: last ? keyOf(last) : null };
    });

  let { lastKey, done } = start;
  if (isRangeShared) await clearAfterCheckpoint(ctx, lastKey);
  const source = {
    ...ctx.source,
    table: tableOf(ctx.plan, 'source'),
    key: ctx.plan.copyKey,
  };
  // Plans without change capture have nothing to catch later rows up with: no stop.
  const stopKey = ctx.plan.artifacts.capture ? await lastKeyOf(source) : null;
  for (;;) {
    throwIfAborted(ctx);
    const range = await copyRange(lastKey);
    if (!range.lastKey) break;
    lastKey = range.lastKey;
    done += range.rows;
    await saveCheckpoint(ctx, { lastKey, done, total: start.total });
    // A short range read to the table's end.
    if (range.rows < STREAMED_RANGE_ROWS) break;
    if (stopKey && !(await hasKeysBetween(source, lastKey, stopKey))) break;
  }
  await saveCheckpoint(ctx, {
    lastKey,
    done,
    total: start.total,
    isComplete: true,
  });
}
