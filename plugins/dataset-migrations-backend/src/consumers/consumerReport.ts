import type {
  ConsumerFile,
  ConsumerReport,
  ConsumerStatus,
} from '@internal/backstage-plugin-dataset-migrations-common';

/** Whether any statement of these files still names the old table (or might: unparsed). */
export const namesOldTable = (files: ConsumerFile[]) =>
  files.some(f => f.statements.some(s => s.outcome !== 'untouched'));

/**
 * `verified` only when every statement that names the old table was rewritten and
 * proven by parity, and the file's patch could be made; anything unproven (a write,
 * a read before verify, a parity run that failed) needs a person.
 */
function statusOf(
  files: ConsumerFile[],
  pullRequestUrl: string | null,
): ConsumerStatus {
  if (!namesOldTable(files)) return 'repointed';
  if (pullRequestUrl) return 'pr-open';
  const isProven = files.every(f => {
    const touched = f.statements.filter(s => s.outcome !== 'untouched');
    return (
      touched.every(s => s.outcome === 'verified') &&
      (touched.length === 0 || f.diff !== null)
    );
  });
  return isProven ? 'verified' : 'needs-review';
}

/** A consumer's report from its checked files; `error` when it could not be checked. */
export function consumerReport(
  entityRef: string,
  result: { files: ConsumerFile[]; error?: string },
  pullRequestUrl: string | null,
): ConsumerReport {
  const { files } = result;
  const all = files.flatMap(f => f.statements);
  const count = (...outcomes: string[]) =>
    all.filter(s => outcomes.includes(s.outcome)).length;
  return {
    entityRef,
    status: result.error ? 'needs-review' : statusOf(files, pullRequestUrl),
    files,
    counts: {
      statements: all.length,
      rewritten: count('verified', 'rewritten'),
      verified: count('verified'),
      unverifiable: count('unverifiable', 'mismatch'),
    },
    pullRequestUrl,
    checkedAt: new Date().toISOString(),
    error: result.error ?? null,
  };
}
