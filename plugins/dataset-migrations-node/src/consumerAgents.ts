import type { Engine } from '@internal/backstage-plugin-dataset-migrations-common';

/** A table as a consumer's SQL names it. @public */
export type ConsumerTableName = { schema?: string; table: string };

/** What a consumer agent rewrites: one file of a consumer's code, and the move. @public */
export type ConsumerRewriteInput = {
  /** The whole file, as read. */
  text: string;
  /** The engine the consumer's statements run on (the dataset's source engine). */
  engine: Engine;
  /** The name consumers read today, and the new one. */
  from: ConsumerTableName;
  to: ConsumerTableName;
  /** Column renames (old → new); a column absent here keeps its name. */
  columns: Array<{ from: string; to: string }>;
  /**
   * Every column of the old table, in its order, when known. Lets the agent expand
   * `SELECT *` (whose result names change when columns are renamed) into the old names,
   * and give a column list to an INSERT that has none; without it those statements are
   * reported as unverifiable.
   */
  sourceColumns?: string[];
};

/** One statement of the file and what the agent did with it. @public */
export type ConsumerRewriteStatement = {
  /** 1-based line where the statement starts in the file. */
  line: number;
  original: string;
  /** The statement for the new table, or null when untouched or not rewritable. */
  rewritten: string | null;
  outcome: 'rewritten' | 'untouched' | 'unverifiable';
  /** Why it could not be rewritten with certainty. */
  reason: string | null;
  /** Whether it only reads (SELECT/WITH … SELECT), so parity can run it as is. */
  reads: boolean;
  /** Whether its result order is defined (ORDER BY at the top level). */
  ordered: boolean;
};

/** A consumer agent's answer for one file. @public */
export type ConsumerRewrite = {
  statements: ConsumerRewriteStatement[];
  /** The file with every offered rewrite applied, all else byte for byte the same. */
  text: string;
};

/**
 * A consumer agent: rewrites consumers' code for a dataset's new table. The built-in
 * one rewrites SQL; others (dbt models, Spark jobs) plug in through the agents
 * extension point.
 *
 * @public
 */
export interface DatasetMigrationConsumerAgent {
  readonly id: string;
  readonly version: string;
  /** Which files it handles, by name (e.g. `.sql`). */
  handles(fileName: string): boolean;
  rewrite(input: ConsumerRewriteInput): Promise<ConsumerRewrite>;
}
