import { allRows } from '../dialects/rawRows';
import type { VerifyParity } from '../consumers/VerifyParity';

const key = (row: Record<string, unknown>) =>
  JSON.stringify(Object.values(row).map(v => (v === null ? null : String(v))));

/**
 * A test-only parity check standing in for the real one: runs the original on the old
 * side and the rewrite on the new, and compares the rows (values as text) as ordered
 * lists or as multisets.
 */
export const standInParity: VerifyParity = async ({
  statement,
  oldSide,
  newSide,
}) => {
  const oldRows = allRows(await oldSide.raw(statement.original));
  const newRows = allRows(await newSide.raw(statement.rewritten!));
  const oldKeys = oldRows.map(key);
  const newKeys = newRows.map(key);
  if (!statement.ordered) {
    oldKeys.sort();
    newKeys.sort();
  }
  const isSame = JSON.stringify(oldKeys) === JSON.stringify(newKeys);
  return {
    line: statement.line,
    original: statement.original,
    rewritten: statement.rewritten,
    outcome: isSame ? 'verified' : 'mismatch',
    reason: isSame
      ? null
      : `old returned ${oldRows.length} row(s), new ${newRows.length}, and they differ`,
    parity: {
      oldRows: oldRows.length,
      newRows: newRows.length,
      ordered: statement.ordered,
      sample: newRows.slice(0, 3),
    },
  };
};
