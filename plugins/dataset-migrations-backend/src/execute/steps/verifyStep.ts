import type { Knex } from 'knex';
import { allRows, firstRow } from '../../dialects/rawRows';
import { keyLiteral } from '../../copy/keyLiteral';
import { targetKeyColumns } from '../../copy/keyRange';
import {
  CATCH_UP_BATCH,
  distinctKeys,
  forgetEntries,
  keyId,
  KEYS_PER_STATEMENT,
  loggedKeys,
  readLog,
  replayEntries,
} from '../../copy/replayChanges';
import type { Dialect } from '../../dialects/Dialect';
import { keyComparison } from '../../plan/sql/keyRangeSql';
import {
  compareValidation,
  sumValidation,
} from '../../plan/sql/validationQuery';
import { MAX_LIVE_BATCHES } from './catchUpStep';
import { differingColumns } from './differingColumns';
import { SQLITE_READ_SNAPSHOT } from '../../connections/sqliteThreadClient';
import {
  PermanentStepError,
  runOnSource,
  StepContext,
  Step,
  tableOf,
  throwIfAborted,
} from './Step';

/** Keys a range holds when it is bisected key by key (a key list per statement). */
const SEGMENT_KEYS = 32;
/**
 * Keys a range of the walk over the table holds: small enough that narrowing one that
 * differs reads little, large enough that the walk's statements stay few.
 */
const RANGE_KEYS = 8192;
const MAX_REPORTED_KEYS = 10;
/** Bulk comparisons before a difference that no key can be named for fails the step. */
const BULK_ATTEMPTS = 3;

type Runner = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

/**
 * Where verify resumes: `bulk-verified` once the whole table agreed apart from the keys
 * written meanwhile (which the change log still holds), `frozen` once the source refuses
 * writes and only the log's last entries are left to replay and check.
 */
type VerifyCheckpoint = { phase: 'bulk-verified' | 'frozen' };

function columnsOf(ctx: StepContext) {
  return ctx.plan.columns.map(c => ({
    name: c.target,
    type: ctx.target.dialect.toLogical(c.targetType),
  }));
}

/**
 * One side's validation rows: the whole table, or one row per chunk of `keys`. Keys go
 * in as literals, not `?` bindings: a `?` inside a rule's expression in the validation
 * SQL would be taken for one.
 */
async function validationRows(
  runner: Runner,
  sql: string,
  dialect: Dialect,
  columns: string[],
  keys?: unknown[][],
): Promise<Row[]> {
  if (!keys) return [firstRow(await runner.raw(sql)) ?? {}];
  const tuple = `(${columns.map(c => dialect.quote(c)).join(', ')})`;
  const rows: Row[] = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT) {
    const values = keys
      .slice(i, i + KEYS_PER_STATEMENT)
      .map(k => `(${k.map(v => keyLiteral(dialect, v)).join(', ')})`)
      .join(', ');
    rows.push(
      firstRow(await runner.raw(`${sql}\nWHERE ${tuple} IN (${values})`)) ?? {},
    );
  }
  return rows;
}

const plus = (row: Row) => ({ row, sign: 1 as const });
const minus = (row: Row) => ({ row, sign: -1 as const });

const sourceRows = (ctx: StepContext, runner: Runner, keys?: unknown[][]) =>
  validationRows(
    runner,
    ctx.plan.artifacts.validation.source,
    ctx.source.dialect,
    ctx.plan.copyKey,
    keys,
  );

const targetRows = (ctx: StepContext, keys?: unknown[][]) =>
  validationRows(
    ctx.target.knex,
    ctx.plan.artifacts.validation.target,
    ctx.target.dialect,
    targetKeyColumns(ctx.plan),
    keys,
  );

/**
 * Runs a query on each side at once: the two servers (or two sessions of one) scan
 * their tables side by side, so verify takes about as long as the slower side rather
 * than both. SQLite runs one statement at a time in this process (and its pool has one
 * connection, which a source snapshot may hold): there, one after the other.
 */
async function bothSides<S, T>(
  ctx: StepContext,
  source: () => Promise<S>,
  target: () => Promise<T>,
): Promise<[S, T]> {
  if (
    ctx.source.dialect.engine === 'sqlite' ||
    ctx.target.dialect.engine === 'sqlite'
  )
    return [await source(), await target()];
  return Promise.all([source(), target()]);
}

/** Compares both sides as they are now, restricted to the given keys when there are some. */
async function compare(
  ctx: StepContext,
  keys?: unknown[][],
): Promise<string[]> {
  if (keys?.length === 0) return [];
  const [source, target] = await bothSides(
    ctx,
    () => sourceRows(ctx, ctx.source.knex, keys),
    () => targetRows(ctx, keys),
  );
  return compareValidation(
    sumValidation(source.map(plus)),
    sumValidation(target.map(plus)),
    columnsOf(ctx),
  );
}

/**
 * Runs `work` on the source in one snapshot, so a validation query and the change log
 * read in it describe the same moment while writers go on. (SQLite's read transaction
 * is a snapshot already and takes no isolation level.)
 */
function inSourceSnapshot<T>(
  ctx: StepContext,
  work: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  const { knex, dialect } = ctx.source;
  if (dialect.engine === 'sqlite')
    return knex.transaction(work, SQLITE_READ_SNAPSHOT);
  return knex.transaction(
    trx => {
      // knex builds a transaction's client afresh from the driver's prototype, without
      // the registry's PostgreSQL placeholder fix: carry it over, or a `?` in a rule's
      // expression would become `$1` inside the transaction only.
      const client = (knex as unknown as { client: object }).client as {
        positionBindings?: unknown;
      };
      const txClient = (trx as unknown as { client: object }).client as {
        positionBindings?: unknown;
      };
      if (Object.prototype.hasOwnProperty.call(client, 'positionBindings'))
        txClient.positionBindings = client.positionBindings;
      return work(trx);
    },
    { isolationLevel: 'repeatable read' },
  );
}

/**
 * Compares `keys` (all keys when undefined) while writers go on. In one snapshot of the
 * source: its validation, the keys the change log holds (written since their last
 * replay, so the target may lag on them: left for later) and their share of the
 * validation. The target, which only verify writes now, is then compared as it would be
 * with the source's rows for those keys. Returns the differences among the other keys
 * and the keys left for later.
 */
async function compareUnwritten(
  ctx: StepContext,
  keys?: unknown[][],
  exceptSeqs?: number[],
): Promise<{
  differences: string[];
  written: unknown[][];
  checked?: unknown[][];
}> {
  // The whole target is read while the source's snapshot is: only verify writes the
  // target now, so it holds still whichever is read first.
  const [source, wholeTarget] = await bothSides(
    ctx,
    () =>
      inSourceSnapshot(ctx, async trx => {
        const written = await loggedKeys(ctx, trx, { among: keys, exceptSeqs });
        const checked = keys ? without(keys, written) : undefined;
        return {
          written,
          checked,
          all: await sourceRows(ctx, trx, checked),
          ofWritten: keys ? [] : await sourceRows(ctx, trx, written),
        };
      }),
    async () => (keys ? undefined : targetRows(ctx)),
  );
  if (source.checked?.length === 0)
    return { differences: [], written: source.written, checked: [] };
  const target = sumValidation([
    ...(wholeTarget ?? (await targetRows(ctx, source.checked))).map(plus),
    ...(keys ? [] : (await targetRows(ctx, source.written)).map(minus)),
    ...source.ofWritten.map(plus),
  ]);
  return {
    differences: compareValidation(
      sumValidation(source.all.map(plus)),
      target,
      columnsOf(ctx),
    ),
    written: source.written,
    checked: source.checked,
  };
}

function without(keys: unknown[][], drop: unknown[][]): unknown[][] {
  const dropped = new Set(drop.map(keyId));
  return keys.filter(k => !dropped.has(keyId(k)));
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

async function bisectAll(
  ctx: StepContext,
  keys: unknown[][],
): Promise<unknown[][]> {
  const found: unknown[][] = [];
  await bisect(ctx, keys, found);
  return found;
}

/** A range of keys: after `after` (from the start when undefined) up to `upTo` (to the end). */
type KeyRange = { after?: unknown[]; upTo?: unknown[] };

function rangeWhere(dialect: Dialect, columns: string[], range: KeyRange) {
  const bound = (op: '>' | '<=', values?: unknown[]) =>
    values &&
    keyComparison(
      dialect,
      columns,
      op,
      values.map(v => keyLiteral(dialect, v)),
    );
  const conditions = [bound('>', range.after), bound('<=', range.upTo)].filter(
    Boolean,
  );
  return conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
}

/** The source's keys in `range`, in key order: all, or `limit` of them from `offset`. */
async function sourceKeys(
  ctx: StepContext,
  range: KeyRange,
  limit?: number,
  offset = 0,
): Promise<unknown[][]> {
  const { dialect, knex } = ctx.source;
  const key = ctx.plan.copyKey.map(k => dialect.quote(k));
  const rows = allRows(
    await knex.raw(
      `SELECT ${key.join(', ')} FROM ${dialect.qualify(
        tableOf(ctx.plan, 'source'),
      )} ${rangeWhere(dialect, ctx.plan.copyKey, range)} ORDER BY ${key.join(
        ', ',
      )} ${
        limit === undefined
          ? ''
          : `LIMIT ${Math.floor(limit)} OFFSET ${Math.floor(offset)}`
      }`,
    ),
  );
  return rows.map(r => ctx.plan.copyKey.map(k => r[k]));
}

/** Both sides' validation of a key range, as terms `sumValidation` adds up. */
type RangeValidation = {
  source: Array<{ row: Row; sign: 1 | -1 }>;
  target: Array<{ row: Row; sign: 1 | -1 }>;
};

/**
 * Both sides' validation of a key range, read at once: one statement a side, the range
 * as key bounds (no key list). A target that orders keys otherwise (another collation)
 * only makes more ranges differ: their keys are then named by `bisect`, which compares
 * key by key.
 */
async function rangeValidation(
  ctx: StepContext,
  range: KeyRange,
): Promise<RangeValidation> {
  const [source, target] = await bothSides(
    ctx,
    async () =>
      firstRow(
        await ctx.source.knex.raw(
          `${ctx.plan.artifacts.validation.source}\n${rangeWhere(
            ctx.source.dialect,
            ctx.plan.copyKey,
            range,
          )}`,
        ),
      ) ?? {},
    async () =>
      firstRow(
        await ctx.target.knex.raw(
          `${ctx.plan.artifacts.validation.target}\n${rangeWhere(
            ctx.target.dialect,
            targetKeyColumns(ctx.plan),
            range,
          )}`,
        ),
      ) ?? {},
  );
  return { source: [plus(source)], target: [plus(target)] };
}

/** `whole` less `part`: counts and checksums are sums, so a range's rest is a subtraction. */
function rest(whole: RangeValidation, part: RangeValidation): RangeValidation {
  const less = (terms: RangeValidation['source']) =>
    terms.map(t => ({ row: t.row, sign: -t.sign as 1 | -1 }));
  return {
    source: [...whole.source, ...less(part.source)],
    target: [...whole.target, ...less(part.target)],
  };
}

function differs(ctx: StepContext, sides: RangeValidation): boolean {
  return (
    compareValidation(
      sumValidation(sides.source),
      sumValidation(sides.target),
      columnsOf(ctx),
    ).length > 0
  );
}

/**
 * Narrows a range of about `size` keys whose validation (`sides`) differs: reads its
 * lower half, works out the upper half's by subtraction, and goes on into each half
 * that differs, until a range is small enough to bisect key by key. So each level costs
 * one half-range statement a side, and ranges that agree are never read again.
 */
async function narrowRange(
  ctx: StepContext,
  range: KeyRange,
  size: number,
  sides: RangeValidation,
  skipped: Set<string>,
  found: unknown[][],
): Promise<void> {
  throwIfAborted(ctx);
  if (found.length >= MAX_REPORTED_KEYS || !differs(ctx, sides)) return;
  if (size <= SEGMENT_KEYS) {
    // All its keys, not `size`: rows written since the range was cut are in it too.
    const keys = await sourceKeys(ctx, range);
    await bisect(
      ctx,
      keys.filter(k => !skipped.has(keyId(k))),
      found,
    );
    return;
  }
  const half = Math.ceil(size / 2);
  const [middle] = await sourceKeys(ctx, range, 1, half - 1);
  // The table's last range holds fewer keys than its estimate: all in the lower half.
  if (!middle) {
    await narrowRange(ctx, range, half - 1, sides, skipped, found);
    return;
  }
  const lower = { ...range, upTo: middle };
  const lowerSides = await rangeValidation(ctx, lower);
  await narrowRange(ctx, lower, half, lowerSides, skipped, found);
  await narrowRange(
    ctx,
    { after: middle, upTo: range.upTo },
    size - half,
    rest(sides, lowerSides),
    skipped,
    found,
  );
}

/**
 * Walks the source's keys in ranges of `RANGE_KEYS`, compared on both sides at once,
 * and narrows each range that differs down to its keys (data-diff's approach), leaving
 * out `skip` (keys written since, which their replay checks).
 */
async function walkDifferingKeys(
  ctx: StepContext,
  skip: unknown[][],
): Promise<unknown[][]> {
  const skipped = new Set(skip.map(keyId));
  const found: unknown[][] = [];
  let after: unknown[] | undefined;
  while (found.length < MAX_REPORTED_KEYS) {
    throwIfAborted(ctx);
    const [upTo] = await sourceKeys(ctx, { after }, 1, RANGE_KEYS - 1);
    // The last range runs to the end: it also holds any target rows past the source's.
    const range = { after, upTo };
    const sides = await rangeValidation(ctx, range);
    await narrowRange(ctx, range, RANGE_KEYS, sides, skipped, found);
    if (!upTo) break;
    after = upTo;
  }
  return found;
}

/**
 * The keys among `found` that nobody has written since their last replay: a difference
 * on one of them is real. The others the log still holds; they are checked once
 * replayed.
 */
async function unwritten(
  ctx: StepContext,
  found: unknown[][],
  exceptSeqs?: number[],
): Promise<unknown[][]> {
  if (found.length === 0) return found;
  return without(
    found,
    await loggedKeys(ctx, ctx.source.knex, { among: found, exceptSeqs }),
  );
}

async function fail(
  ctx: StepContext,
  differences: string[],
  keys: unknown[][],
): Promise<never> {
  // Only an explanation: a failure to read it must not hide the difference found.
  const columns = keys.length
    ? await differingColumns(ctx, keys).catch(e => [
        `columns not read (${e instanceof Error ? e.message : String(e)})`,
      ])
    : [];
  await ctx.event(`Verify found differences: ${differences.join('; ')}`, {
    differences,
    firstDifferingKeys: keys,
    keyColumns: ctx.plan.copyKey,
    ...(columns.length ? { differingColumns: columns } : {}),
  });
  throw new PermanentStepError(
    `Target differs from source (${differences.join('; ')}${
      columns.length ? `; differing columns: ${columns.join('; ')}` : ''
    })${
      keys.length
        ? `; first differing keys: ${keys
            .map(k => JSON.stringify(k))
            .join(', ')}`
        : ''
    }`,
  );
}

/**
 * Checks `keys` (all keys when undefined) while writers may go on, leaving out keys the
 * log holds apart from the entries `exceptSeqs`: they are checked once replayed. A
 * difference on the other keys is real, and fails the step naming them; one that no
 * such key can be named for (they were all written since the snapshot) is checked
 * again. Returns how many keys were left out.
 */
async function verifyUnwritten(
  ctx: StepContext,
  isFrozen: boolean,
  keys?: unknown[][],
  exceptSeqs?: number[],
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(ctx);
    const { differences, written, checked } = await compareUnwritten(
      ctx,
      keys,
      exceptSeqs,
    );
    if (differences.length === 0) return written.length;
    // The snapshot's difference lies among the checked keys; name them from the live
    // tables, leaving out keys written since (their replay decides).
    const found = checked
      ? await bisectAll(ctx, checked)
      : await walkDifferingKeys(ctx, written);
    const real = await unwritten(ctx, found, exceptSeqs);
    if (real.length > 0 || isFrozen || attempt >= BULK_ATTEMPTS)
      await fail(ctx, differences, real);
  }
}

/**
 * The whole table, while writers go on: passes when every key nobody wrote since its
 * last replay agrees. Keys written meanwhile stay in the change log, to be replayed
 * and checked by `replayAndCheck`.
 */
async function verifyBulk(ctx: StepContext): Promise<number> {
  const written = await verifyUnwritten(ctx, false);
  await ctx.progress({
    done: ctx.plan.columns.length,
    total: ctx.plan.columns.length,
    unit: 'columns',
    checkpoint: { phase: 'bulk-verified' } satisfies VerifyCheckpoint,
    event: {
      message: `Bulk verify: source and target agree on every key nobody wrote since its last replay; ${written} keys the change log held then are checked after their replay`,
      data: { writtenMeanwhile: written },
    },
  });
  return written;
}

/**
 * Replays the log in batches, checks each batch's keys against the source (leaving out
 * keys logged again since: a later batch has them), and only then forgets the batch, so
 * a crash anywhere leaves the entries to replay and check again. Live, it stops after
 * a batch that was not full, or after `MAX_LIVE_BATCHES`; frozen, when the log is empty.
 * Returns the keys checked.
 */
async function replayAndCheck(
  ctx: StepContext,
  isFrozen: boolean,
): Promise<number> {
  let checked = 0;
  for (let batch = 1; ; batch++) {
    throwIfAborted(ctx);
    const entries = await readLog(ctx, CATCH_UP_BATCH);
    if (entries.length === 0) return checked;
    await replayEntries(ctx, entries, { forget: false });
    const keys = distinctKeys(entries);
    checked += keys.length;
    await ctx.progress({ done: checked, total: null, unit: 'keys' });
    await verifyUnwritten(
      ctx,
      isFrozen,
      keys,
      entries.map(e => e.seq),
    );
    await forgetEntries(ctx, entries);
    if (isFrozen) continue;
    if (entries.length < CATCH_UP_BATCH) return checked;
    if (batch >= MAX_LIVE_BATCHES) {
      await ctx.event(
        `Writers outpace verify (${checked} keys replayed and checked in ${batch} batches): freezing ${ctx.plan.source.table} now to finish`,
        { checked },
      );
      return checked;
    }
  }
}

/** Compares the whole table at once: for a source that refuses writes all along. */
async function verifyAtOnce(ctx: StepContext): Promise<void> {
  const differences = await compare(ctx);
  if (differences.length > 0) {
    const keys =
      ctx.plan.copyKey.length > 0 ? await walkDifferingKeys(ctx, []) : [];
    await fail(ctx, differences, keys);
  }
  await ctx.progress({
    done: ctx.plan.columns.length,
    total: ctx.plan.columns.length,
    unit: 'columns',
    event: {
      message:
        "Source and target agree: row count, every column's non-null count and the rows' checksum",
    },
  });
}

/**
 * Compares row counts and per-column checksums of source and target; on a mismatch it
 * names the first differing keys in the migration's events and fails for good: a
 * failed verify never reaches cutover.
 *
 * With change capture, writers go on through the long part: the bulk compare reads
 * the whole table in one snapshot, leaving out the keys written since their last
 * replay, which the change log still holds; batches of the log are then replayed and
 * their keys checked while writers go on. Only then is the source frozen (writers get
 * an error until cutover), and the writes of the last moments are replayed and their
 * keys checked: the freeze lasts as long as that, whatever the table's size.
 */
export const verifyStep: Step = {
  name: 'verify',
  async run(ctx) {
    const { plan } = ctx;
    const { capture, quiesce = [], quiesceRollback = [] } = plan.artifacts;
    if (!capture || plan.copyKey.length === 0) {
      await verifyAtOnce(ctx);
      return;
    }
    let phase = (await ctx.checkpoint<VerifyCheckpoint>())?.phase;
    // How many keys the log held at the bulk compare's snapshot; unknown on resume.
    let writtenAtBulk: number | undefined;
    if (!phase) {
      writtenAtBulk = await verifyBulk(ctx);
      phase = 'bulk-verified';
    }
    let checked = 0;
    // The live replay only shortens the freeze. A log that was empty at the snapshot
    // (most tables: nobody wrote them during the copy) holds at most the last moments'
    // writes, which the frozen replay below reads and checks anyway: skip a read.
    if (phase === 'bulk-verified' && writtenAtBulk !== 0)
      checked = await replayAndCheck(ctx, false);
    // A crashed attempt may have frozen already: lift and freeze again, as one
    // transaction where the engine allows it. Writes let in between are logged.
    await runOnSource(ctx, [...quiesceRollback, ...quiesce]);
    await ctx.progress({
      done: 0,
      total: null,
      unit: 'keys',
      checkpoint: { phase: 'frozen' } satisfies VerifyCheckpoint,
    });
    const checkedFrozen = await replayAndCheck(ctx, true);
    await ctx.progress({
      done: checked + checkedFrozen,
      total: checked + checkedFrozen,
      unit: 'keys',
      event: {
        message: `Source and target agree: the bulk, and the ${
          checked + checkedFrozen
        } keys written since catch-up, after their replay (${checkedFrozen} of them after the freeze); ${
          plan.source.table
        } refuses writes until cutover`,
        data: { checkedLive: checked, checkedFrozen },
      },
    });
  },
  async undo(ctx) {
    await runOnSource(ctx, ctx.plan.artifacts.quiesceRollback ?? []);
  },
};
