import type { Knex } from 'knex';
import { firstRow } from '../../dialects/rawRows';
import type { Dialect } from '../../dialects/Dialect';
import { keyLiteral } from '../../copy/keyLiteral';
import { targetKeyColumns } from '../../copy/keyRange';
import { differsBeyondTolerance } from '../../plan/sql/validationQuery';
import { StepContext, tableOf } from './Step';

/** Keys whose columns are read on both sides to say which of them differ. */
const EXPLAINED_KEYS = 3;

type Side = {
  knex: Knex;
  dialect: Dialect;
  table: { schema?: string; table: string };
  keyColumns: string[];
  expressions: string[];
};

/**
 * One row's canonical values (`Dialect.checksum` over the one row: its integer, hash or
 * double), so both engines' values compare as numbers. NULL where the row has NULL, or
 * where no row has the key.
 */
async function canonicalRow(
  side: Side,
  key: unknown[],
  ctx: StepContext,
): Promise<Array<number | null> | undefined> {
  const { dialect } = side;
  const isSameEngine = ctx.source.dialect.engine === ctx.target.dialect.engine;
  const select = ctx.plan.columns.map(
    (c, i) =>
      `${dialect.checksum(
        side.expressions[i],
        ctx.target.dialect.toLogical(c.targetType),
        { isSameEngine },
      )} AS ${dialect.quote(`c${i}`)}`,
  );
  const where = side.keyColumns
    .map((k, i) => `${dialect.quote(k)} = ${keyLiteral(dialect, key[i])}`)
    .join(' AND ');
  const row = firstRow(
    await side.knex.raw(
      `SELECT COUNT(*) AS ${dialect.quote('row_count')}, ${select.join(
        ', ',
      )} FROM ${dialect.qualify(side.table)} WHERE ${where}`,
    ),
  );
  if (!row || Number(row.row_count ?? row.ROW_COUNT) === 0) return undefined;
  const values = new Map(
    Object.entries(row).map(([k, v]) => [k.toLowerCase(), v]),
  );
  return ctx.plan.columns.map((_, i) => {
    const value = values.get(`c${i}`);
    return value === null || value === undefined ? null : Number(value);
  });
}

/**
 * For the first differing keys verify named, which columns differ: each key's row read
 * on both sides (a handful of rows, so cheap), as the bulk compare hashes whole rows
 * and cannot say. A sentence per key, e.g. `[11]: qty` or `[7]: missing in the target`.
 */
export async function differingColumns(
  ctx: StepContext,
  keys: unknown[][],
): Promise<string[]> {
  const source: Side = {
    knex: ctx.source.knex,
    dialect: ctx.source.dialect,
    table: tableOf(ctx.plan, 'source'),
    keyColumns: ctx.plan.copyKey,
    expressions: ctx.plan.columns.map(c => c.sourceExpression),
  };
  const target: Side = {
    knex: ctx.target.knex,
    dialect: ctx.target.dialect,
    table: tableOf(ctx.plan, 'target'),
    keyColumns: targetKeyColumns(ctx.plan),
    expressions: ctx.plan.columns.map(c => ctx.target.dialect.quote(c.target)),
  };
  const sentences: string[] = [];
  for (const key of keys.slice(0, EXPLAINED_KEYS)) {
    const a = await canonicalRow(source, key, ctx);
    const b = await canonicalRow(target, key, ctx);
    const name = JSON.stringify(key);
    if (!a || !b) {
      sentences.push(`${name}: missing in the ${a ? 'target' : 'source'}`);
      continue;
    }
    const columns = ctx.plan.columns.filter((c, i) => {
      const [x, y] = [a[i], b[i]];
      if (x === null || y === null) return x !== y;
      return differsBeyondTolerance(
        ctx.target.dialect.toLogical(c.targetType).kind,
        x,
        y,
      );
    });
    if (columns.length > 0)
      sentences.push(`${name}: ${columns.map(c => c.target).join(', ')}`);
  }
  return sentences;
}
