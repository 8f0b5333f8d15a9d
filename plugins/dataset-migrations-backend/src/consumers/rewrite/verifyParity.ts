import type {
  ConsumerStatement,
  Engine,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type {
  ConsumerRewriteStatement,
  ConsumerTableName,
} from '@internal/backstage-plugin-dataset-migrations-node';
import type { Knex } from 'knex';
import { compareRows, type ParityRow } from './parityValues';
import {
  isLockTimeout,
  readSide,
  writeSide,
  type ParityLimits,
  type WriteResult,
} from './paritySide';

export type VerifyParityOptions = {
  statement: ConsumerRewriteStatement;
  /** Where the original runs: the old table (the backup, the compatibility view, or the source before cutover). */
  oldSide: Knex;
  /** Where the rewrite runs: the new table. */
  newSide: Knex;
  engine: Engine;
  /**
   * The move, so a write can be checked by the table it leaves behind (old columns
   * read under their new names). Without it writes are compared by affected rows only.
   */
  move?: {
    from: ConsumerTableName;
    to: ConsumerTableName;
    columns: Array<{ from: string; to: string }>;
  };
  /** Per statement; default 30 s. */
  timeoutMs?: number;
  /** Rows compared per side; default 10,000. */
  rowLimit?: number;
  /** How long a write may wait for a lock before it gives up, unproven; default 2 s. */
  lockTimeoutMs?: number;
};

const WRITE = /^(insert|update|delete|replace|with)\b/i;

/**
 * Proves a rewritten statement by result parity: the original runs against the old
 * side, the rewrite against the new side, and their results must be the same multiset
 * of rows (the same sequence when the statement orders). Writes run in transactions
 * that are rolled back, and must affect as many rows and leave the same table. A
 * rewrite that does not match is a `mismatch` and is not offered.
 */
export async function verifyParity(
  options: VerifyParityOptions,
): Promise<ConsumerStatement> {
  const { statement } = options;
  const base = {
    line: statement.line,
    original: statement.original,
    rewritten: statement.rewritten,
  };
  if (statement.outcome !== 'rewritten' || !statement.rewritten)
    return { ...base, outcome: statement.outcome, reason: statement.reason };
  const limits: ParityLimits = {
    timeoutMs: options.timeoutMs ?? 30_000,
    rowLimit: options.rowLimit ?? 10_000,
    lockTimeoutMs: options.lockTimeoutMs ?? 2_000,
  };
  const code = statement.original.replace(
    /^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/,
    '',
  );
  if (!statement.reads && !WRITE.test(code))
    return {
      ...base,
      outcome: 'rewritten',
      reason: 'not run: parity checks queries and writes, not definitions',
    };

  if (statement.reads) {
    const sides = await runBoth(options, (sql, side) =>
      readSide(side, sql, options.engine, limits),
    );
    if ('notRun' in sides)
      return { ...base, outcome: 'rewritten', reason: sides.notRun };
    if ('mismatch' in sides)
      return {
        ...base,
        rewritten: null,
        outcome: 'mismatch',
        reason: sides.mismatch,
      };
    return compareReads(base, statement.ordered, sides.old, sides.new, limits);
  }
  const sides = await runBoth(options, (sql, side, which) =>
    writeSide(side, sql, options.engine, options.move?.[which], limits),
  );
  if ('notRun' in sides)
    return { ...base, outcome: 'rewritten', reason: sides.notRun };
  if ('mismatch' in sides)
    return {
      ...base,
      rewritten: null,
      outcome: 'mismatch',
      reason: sides.mismatch,
    };
  return compareWrites(base, options.move, sides.old, sides.new, limits);
}

type Both<T> = { old: T; new: T } | { notRun: string } | { mismatch: string };

/** Runs the original on the old side, then the rewrite on the new side. */
async function runBoth<T>(
  options: VerifyParityOptions,
  run: (sql: string, side: Knex, which: 'from' | 'to') => Promise<T>,
): Promise<Both<T>> {
  let old: T;
  try {
    old = await run(options.statement.original, options.oldSide, 'from');
  } catch (e) {
    return {
      notRun:
        gaveUpWaiting(e, 'old', options) ??
        `not proven: the original failed on the old side (${message(e)})`,
    };
  }
  try {
    return {
      old,
      new: await run(options.statement.rewritten!, options.newSide, 'to'),
    };
  } catch (e) {
    // Waiting for another session's lock says nothing about the rewrite.
    const waited = gaveUpWaiting(e, 'new', options);
    if (waited) return { notRun: waited };
    return { mismatch: `the rewrite failed on the new side (${message(e)})` };
  }
}

/** Why a side gave up on a lock held by another session, or undefined when it did not. */
function gaveUpWaiting(
  e: unknown,
  side: 'old' | 'new',
  options: VerifyParityOptions,
): string | undefined {
  if (!isLockTimeout(e)) return undefined;
  const seconds = (options.lockTimeoutMs ?? 2_000) / 1000;
  return `not proven: the write on the ${side} side waited over ${seconds} s for a lock another session holds (a live writer), and gave up rather than hold it up; check again later`;
}

function compareReads(
  base: Pick<ConsumerStatement, 'line' | 'original' | 'rewritten'>,
  isOrdered: boolean,
  old: { rows: ParityRow[]; total: number; isCapped: boolean },
  now: { rows: ParityRow[]; total: number; isCapped: boolean },
  limits: ParityLimits,
): ConsumerStatement {
  if (old.total !== now.total)
    return {
      ...base,
      rewritten: null,
      outcome: 'mismatch',
      reason: `the old side returned ${old.total} rows, the new side ${now.total}`,
    };
  // Capped results were cut in an order of all columns: compare those rows as a set.
  const comparison = compareRows(
    old.rows,
    now.rows,
    isOrdered && !old.isCapped,
  );
  if (!comparison.matches)
    return {
      ...base,
      rewritten: null,
      outcome: 'mismatch',
      reason: comparison.reason,
    };
  return {
    ...base,
    outcome: 'verified',
    reason: old.isCapped
      ? `${old.total} rows on both sides; compared the first ${
          limits.rowLimit
        } in an order of all columns (row limit), ${
          isOrdered ? "not the statement's own order" : 'as a multiset'
        }`
      : `${old.total} rows on both sides, the same ${
          isOrdered ? 'sequence' : 'multiset'
        }`,
    parity: {
      oldRows: old.total,
      newRows: now.total,
      ordered: isOrdered && !old.isCapped,
      sample: comparison.sample,
    },
  };
}

/**
 * A write must affect as many rows on both sides and leave the same table behind, the
 * old columns read under their new names.
 */
function compareWrites(
  base: Pick<ConsumerStatement, 'line' | 'original' | 'rewritten'>,
  move: VerifyParityOptions['move'],
  old: WriteResult,
  now: WriteResult,
  limits: ParityLimits,
): ConsumerStatement {
  const mismatch = (reason: string): ConsumerStatement => ({
    ...base,
    rewritten: null,
    outcome: 'mismatch',
    reason,
  });
  if (old.affected !== now.affected)
    return mismatch(
      `the original affected ${old.affected} rows, the rewrite ${now.affected}`,
    );
  let sample: Array<Record<string, unknown>> = [];
  let checked = 'affected rows';
  if (move && old.contents && now.contents) {
    const renamed = (column: string) =>
      move.columns.find(c => c.from === column)?.to ?? column;
    const newColumns = new Set(Object.keys(now.contents[0] ?? {}));
    const project = (row: ParityRow, rename: (c: string) => string) =>
      Object.fromEntries(
        Object.entries(row)
          .map(([k, v]) => [rename(k), v] as const)
          .filter(([k]) => newColumns.has(k))
          .sort(([a], [b]) => a.localeCompare(b)),
      );
    const comparison = compareRows(
      old.contents.map(r => project(r, renamed)),
      now.contents.map(r => project(r, c => c)),
      false,
    );
    if (!comparison.matches)
      return mismatch(
        `the tables differ after the write: ${comparison.reason}`,
      );
    sample = comparison.sample;
    checked = `affected rows and the whole table after the write (${now.tableRows} rows)`;
  } else if (move) {
    checked = `affected rows (the table holds ${old.tableRows} rows, over the row limit of ${limits.rowLimit}, so its contents were not compared)`;
  }
  return {
    ...base,
    outcome: 'verified',
    reason: `write checked in rolled-back transactions: ${old.affected} rows affected on both sides; compared ${checked}`,
    parity: {
      oldRows: old.affected,
      newRows: now.affected,
      ordered: false,
      sample,
    },
  };
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}
