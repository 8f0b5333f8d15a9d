import { allRows, firstRow } from '../../connections/rawRows';
import { keyLiteral } from '../../copy/keyLiteral';
import { targetKeyColumns } from '../../copy/keyRange';
import { keyComparison } from '../../plan/sql/keyRangeSql';
import {
  compareValidation,
  readValidationRow,
} from '../../plan/sql/validationQuery';
import {
  PermanentStepError,
  Step,
  StepContext,
  tableOf,
  throwIfAborted,
} from './Step';

const SEGMENT_KEYS = 2000;
const MAX_REPORTED_KEYS = 10;

function columnsOf(ctx: StepContext) {
  return ctx.plan.columns.map(c => ({
    name: c.target,
    type: ctx.target.dialect.toLogical(c.targetType),
  }));
}

/** Runs both validation queries, restricted to the given keys when there are some. */
async function compare(
  ctx: StepContext,
  keys?: unknown[][],
): Promise<string[]> {
  const { plan, source, target } = ctx;
  // Keys go in as literals, not `?` bindings: a `?` inside a rule's expression in the
  // validation SQL would be taken for one.
  const restrict = (
    sql: string,
    dialect: StepContext['source']['dialect'],
    columns: string[],
  ) => {
    if (!keys) return sql;
    const tuple = `(${columns.map(c => dialect.quote(c)).join(', ')})`;
    const values = keys
      .map(k => `(${k.map(v => keyLiteral(dialect, v)).join(', ')})`)
      .join(', ');
    return `${sql}\nWHERE ${tuple} IN (${values})`;
  };
  const targetKey = targetKeyColumns(plan);
  const sourceRow = readValidationRow(
    firstRow(
      await source.knex.raw(
        restrict(
          plan.artifacts.validation.source,
          source.dialect,
          plan.copyKey,
        ),
      ),
    ) ?? {},
  );
  const targetRow = readValidationRow(
    firstRow(
      await target.knex.raw(
        restrict(plan.artifacts.validation.target, target.dialect, targetKey),
      ),
    ) ?? {},
  );
  return compareValidation(sourceRow, targetRow, columnsOf(ctx));
}

/** Halves a differing set of keys until single keys remain (data-diff's approach). */
async function bisect(
  ctx: StepContext,
  keys: unknown[][],
  found: unknown[][],
): Promise<void> {
  if (
    found.length >= MAX_REPORTED_KEYS ||
    (await compare(ctx, keys)).length === 0
  )
    return;
  if (keys.length === 1) {
    found.push(keys[0]);
    return;
  }
  const middle = Math.ceil(keys.length / 2);
  await bisect(ctx, keys.slice(0, middle), found);
  await bisect(ctx, keys.slice(middle), found);
}

/** Walks the source's keys in segments and bisects each segment that differs. */
async function findDifferingKeys(ctx: StepContext): Promise<unknown[][]> {
  const { dialect, knex } = ctx.source;
  const key = ctx.plan.copyKey.map(k => dialect.quote(k));
  const table = dialect.qualify(tableOf(ctx.plan, 'source'));
  const found: unknown[][] = [];
  let last: unknown[] | undefined;
  while (found.length < MAX_REPORTED_KEYS) {
    throwIfAborted(ctx);
    const where = last
      ? `WHERE ${keyComparison(
          dialect,
          ctx.plan.copyKey,
          '>',
          last.map(v => keyLiteral(dialect, v)),
        )}`
      : '';
    const rows = allRows(
      await knex.raw(
        `SELECT ${key.join(', ')} FROM ${table} ${where} ORDER BY ${key.join(
          ', ',
        )} ${dialect.limit(SEGMENT_KEYS)}`,
      ),
    );
    if (rows.length === 0) break;
    const keys = rows.map(r => ctx.plan.copyKey.map(k => r[k]));
    await bisect(ctx, keys, found);
    last = keys[keys.length - 1];
  }
  return found;
}

/**
 * Compares row counts and per-column checksums of source and target. On a mismatch it
 * names the first differing keys in the migration's events and fails for good: a
 * failed verify never reaches cutover.
 */
export const verifyStep: Step = {
  name: 'verify',
  async run(ctx) {
    const differences = await compare(ctx);
    if (differences.length === 0) {
      await ctx.progress({
        done: ctx.plan.columns.length,
        total: ctx.plan.columns.length,
        unit: 'columns',
      });
      await ctx.event(
        'Source and target agree: row count and every column checksum',
      );
      return;
    }
    const keys =
      ctx.plan.copyKey.length > 0 ? await findDifferingKeys(ctx) : [];
    await ctx.event(`Verify found differences: ${differences.join('; ')}`, {
      differences,
      firstDifferingKeys: keys,
      keyColumns: ctx.plan.copyKey,
    });
    throw new PermanentStepError(
      `Target differs from source (${differences.join('; ')})${
        keys.length
          ? `; first differing keys: ${keys
              .map(k => JSON.stringify(k))
              .join(', ')}`
          : ''
      }`,
    );
  },
  async undo() {
    // Verify only reads.
  },
};
