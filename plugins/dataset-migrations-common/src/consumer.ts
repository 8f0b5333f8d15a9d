/**
 * Annotation on a consumer entity (one that `dependsOn` a dataset) naming its SQL files:
 * a glob relative to the entity's source location, e.g. `queries/*.sql`.
 *
 * @public
 */
export const CONSUMER_SQL_ANNOTATION = 'dataset-migrations.io/sql';

/** Where a consumer stands with a migration's new table. @public */
export type ConsumerStatus =
  /** Every statement that reads the dataset was rewritten and proven by parity. */
  | 'verified'
  /** Something could not be rewritten with certainty, or a rewrite did not match. */
  | 'needs-review'
  /** Its code no longer names the old table. */
  | 'repointed'
  /** A pull request with the patch is open. */
  | 'pr-open';

/** What happened to one statement of a consumer's SQL. @public */
export type ConsumerStatementOutcome =
  /** Rewritten, and old and new returned the same results. */
  | 'verified'
  /** Rewritten, but not proven (nothing to run it against yet, or it writes). */
  | 'rewritten'
  /** Does not reference the migrated table: left as it is. */
  | 'untouched'
  /** Rewritten, but the results differ: not offered. */
  | 'mismatch'
  /** Cannot be rewritten with certainty (unparseable, ambiguous): reported, not patched. */
  | 'unverifiable';

/** One statement of a consumer file. @public */
export type ConsumerStatement = {
  /** 1-based line where the statement starts. */
  line: number;
  original: string;
  rewritten: string | null;
  outcome: ConsumerStatementOutcome;
  /** Why it is unverifiable or mismatched, or what the parity run found. */
  reason: string | null;
  /** Parity evidence: rows on each side, and a few matching rows. */
  parity?: {
    oldRows: number;
    newRows: number;
    ordered: boolean;
    sample: Array<Record<string, unknown>>;
  };
};

/** One SQL file of a consumer. @public */
export type ConsumerFile = {
  /** The file's URL as the URL reader read it. */
  url: string;
  statements: ConsumerStatement[];
  /** A unified diff of the file with the offered rewrites, or null with none. */
  diff: string | null;
};

/** The consumer agent's result for one consumer of a migration. @public */
export type ConsumerReport = {
  entityRef: string;
  status: ConsumerStatus;
  files: ConsumerFile[];
  counts: {
    statements: number;
    rewritten: number;
    verified: number;
    unverifiable: number;
  };
  pullRequestUrl: string | null;
  /** When the consumer's code was last read. */
  checkedAt: string;
  /** Why the consumer could not be checked at all (no annotation, unreadable files). */
  error: string | null;
};

/** `GET /migrations/:id/consumers`. @public */
export type ConsumerReportList = { items: ConsumerReport[] };
