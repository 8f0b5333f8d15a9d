/**
 * The Plan: what an agent generated for one dataset, shown to a person before anything
 * runs. Its `hash` covers everything else; the approved hash is the executed hash.
 */

/** Database engines. @public */
export type Engine = 'sqlite' | 'postgres' | 'mysql';

/** A column as introspected from the source. @public */
export type ColumnSchema = {
  name: string;
  /** The type as the engine declares it, lower-cased: `varchar(255)`, `numeric(12,2)`. */
  type: string;
  isNullable: boolean;
  /** The default expression as the engine reports it, or null. */
  defaultValue: string | null;
  /**
   * Whether the default is an expression the database evaluates per row (`now()`,
   * `CURRENT_TIMESTAMP`, `uuid()`), not a constant; absent in plans made before it.
   */
  isDefaultExpression?: boolean;
  /** Values the database generates: identity, serial, AUTO_INCREMENT; absent: none. */
  identity?: ColumnIdentity;
  /** The column's collation when it is not the table's or database's default. */
  collation?: string;
  /**
   * What the database writes into the column on every UPDATE (MySQL/MariaDB
   * `ON UPDATE CURRENT_TIMESTAMP`), as the engine reports it.
   */
  onUpdate?: string;
};

/**
 * How a database generates a column's values: `always` (PostgreSQL GENERATED ALWAYS AS
 * IDENTITY: an insert may not give one) or `by-default` (identity BY DEFAULT, serial,
 * AUTO_INCREMENT, SQLite's AUTOINCREMENT or INTEGER PRIMARY KEY: an insert may give
 * one). @public
 */
export type ColumnIdentity = {
  generation: 'always' | 'by-default';
  /** How the engine declares it: `identity`, `serial` (a sequence default), `auto_increment`, `rowid`. */
  kind: 'identity' | 'serial' | 'auto_increment' | 'rowid';
};

/** An index or unique constraint. @public */
export type IndexSchema = {
  name: string;
  columns: string[];
  isUnique: boolean;
  /** A UNIQUE constraint (PostgreSQL distinguishes it from a unique index). */
  isConstraint?: boolean;
};

/** A foreign key: `columns` of a table reference `references.columns` of another. @public */
export type ForeignKeySchema = {
  name: string;
  columns: string[];
  references: { schema?: string; table: string; columns: string[] };
  /** Referential actions as SQL spells them: `NO ACTION`, `RESTRICT`, `CASCADE`, `SET NULL`, `SET DEFAULT`. */
  onDelete: string;
  onUpdate: string;
  /**
   * PostgreSQL and SQLite: checked at commit (`deferred`) or at each statement unless a
   * transaction defers it (`immediate`); absent: not deferrable.
   */
  deferrable?: 'immediate' | 'deferred';
};

/** A foreign key of another table that references the introspected one. @public */
export type IncomingForeignKeySchema = ForeignKeySchema & {
  from: { schema?: string; table: string };
};

/** A CHECK constraint. @public */
export type CheckSchema = {
  name: string;
  /** The condition as the engine reports it, in the source's dialect. */
  expression: string;
};

/** A snapshot of a table: what the plan was generated from. @public */
export type TableSchema = {
  connection: string;
  engine: Engine;
  schema?: string;
  table: string;
  columns: ColumnSchema[];
  /** Primary key columns in key order; empty when the table has none. */
  primaryKey: string[];
  indexes: IndexSchema[];
  rowEstimate: number;
  /** The table's own foreign keys; absent in plans made before they were introspected. */
  foreignKeys?: ForeignKeySchema[];
  /** Foreign keys of other tables that reference this one. */
  referencedBy?: IncomingForeignKeySchema[];
  /** CHECK constraints. */
  checks?: CheckSchema[];
};

/** Where the dataset goes. @public */
export type PlanTarget = {
  connection: string;
  engine: Engine;
  schema?: string;
  table: string;
  /** True when source and target are the same database (push-down copy, views). */
  isSameDatabase: boolean;
};

/** One target column and where its values come from. @public */
export type ColumnMapping = {
  /** Source column, or null for a computed column. */
  source: string | null;
  /** SQL over the source row (source dialect) producing the target value. */
  sourceExpression: string;
  target: string;
  sourceType: string | null;
  targetType: string;
  isNullable: boolean;
  defaultValue: string | null;
  /** SQL over the target row (target dialect) giving back the old value, for the view. */
  reverseExpression: string | null;
  /** The rule that shaped this column, or `default` for the built-in mapping. */
  rule: string;
  /** Whether `defaultValue` is an expression the target evaluates per row (`CURRENT_TIMESTAMP`). */
  isDefaultExpression?: boolean;
  /** Values the target generates for this column (carried from the source's identity). */
  identity?: ColumnIdentity;
  /** The target column's collation, when it is given explicitly. */
  collation?: string;
};

/** Severity of a lint finding: blocking findings stop the migration. @public */
export type FindingSeverity = 'blocking' | 'warning';

/** What a lint finding is about. @public */
export type FindingCode =
  | 'destructive-change'
  | 'narrowing-cast'
  | 'not-null-violation'
  | 'missing-primary-key'
  | 'lossy-type'
  | 'no-compatibility-view'
  | 'read-only-compatibility-view'
  | 'unprotected-truncate'
  | 'target-exists'
  | 'unreadable-data'
  | 'constraint-not-carried'
  | 'constraint-name-clash'
  | 'incoming-foreign-key'
  | 'identity-change'
  | 'default-lost'
  | 'collation-change';

/** A lint finding about a plan. @public */
export type Finding = {
  code: FindingCode;
  severity: FindingSeverity;
  column?: string;
  message: string;
};

/**
 * How rows move: `push-down` (one INSERT … SELECT inside one database), `copy-pipe`
 * (PostgreSQL to PostgreSQL: the source's COPY TO streamed into the target's COPY FROM,
 * one key range per transaction) or `streamed` (keyset batches read and written by the
 * backend, any engines). @public
 */
export type CopyStrategy = 'push-down' | 'copy-pipe' | 'streamed';

/**
 * How readers of the old name are served after cutover: a view over the new table in
 * the same database (`view`), a view over a foreign table that reads the new table in
 * another PostgreSQL database through `postgres_fdw` (`foreign-view`, when an admin
 * enabled it for the connection pair), or the source itself, frozen read-only until
 * cleanup (`frozen-source`). @public
 */
export type CompatibilityMode = 'view' | 'foreign-view' | 'frozen-source';

/** Generated SQL, as strings a person can read, copy and run. @public */
export type PlanArtifacts = {
  /**
   * Creates the target table, its primary key and constraints, and its indexes unless
   * they are built after the copy (`postCopyDdl`).
   */
  targetDdl: string[];
  /**
   * The secondary indexes, built once the copy has written every row (SQL agent 1.4.0
   * on): rows go into a table with only its key, and each index is built in one pass
   * instead of being updated row by row. The executor skips an index an earlier attempt
   * built. Absent when the plan's indexes are in `targetDdl` (older plans, agent
   * versions before 1.4.0) or when there are none.
   */
  postCopyDdl?: string[];
  /**
   * The push-down copy statement (same database); for `copy-pipe`, the source's
   * `COPY (SELECT …) TO STDOUT` of one key range, between `:after_<i>` and `:up_to_<i>`
   * (the first range has no lower bound, the last no upper bound); for `streamed`, the
   * first batch's query (the whole table in one pass when there is no copy key).
   */
  copy: string;
  /** `streamed`: the query of each later batch, after the key `:after_<i>` copied last. */
  copyNext?: string;
  /** `copy-pipe`: the target's `COPY … FROM STDIN` that each range streams into. */
  copyInto?: string;
  /** Puts the compatibility view at the old name (after the source is renamed). */
  compatibilityView: string[];
  /**
   * Provision, on the source, before the copy reads a row: change capture for
   * catch-up, a log table (`dm_log_<table>`: an increasing `dm_seq` and the copy key as
   * `dm_k0`, `dm_k1`, ...) and AFTER INSERT/UPDATE/DELETE row triggers that append the
   * key of every written row (an UPDATE that changes the key: the old and the new key).
   * A table without a copy key cannot be caught up by key: its capture freezes it
   * instead, and writers get an error until cutover. Absent in plans made before
   * catch-up existed.
   */
  capture?: string[];
  /**
   * Catch-up: per batch of logged changes (`:dm_seqs`, the batch's `dm_seq` values),
   * what replays them. Same database: deletes those keys from the target and inserts
   * the source's current rows for them. Otherwise: the source's current rows for those
   * keys, through the same column mapping as the copy; the executor deletes the keys
   * from the target and writes the rows in one target transaction.
   */
  catchUp?: string[];
  /**
   * Catch-up, once the log is nearly empty: refuses writes to the source so the last
   * catch-up, verify and cutover see a source that no longer changes. `frozen-source`
   * plans freeze with the cutover's own statements; with a view, the freeze stays on the
   * backup after cutover, where nobody writes.
   */
  quiesce?: string[];
  /** Undoes `quiesce`: the source takes writes again. */
  quiesceRollback?: string[];
  /** Rollback: removes the capture triggers, the log table and the freeze from the source. */
  captureRemoval?: string[];
  /**
   * The new table's foreign keys, run on the target once the copy and the last
   * catch-up are done, just before cutover: no copy order or replayed delete can trip
   * (or cascade through) them, and each is validated against the copied rows. Absent
   * in plans made before they were carried, and when there are none.
   */
  targetConstraints?: string[];
  /** Per side: one query returning the row count and per-column checksums. */
  validation: { source: string; target: string };
  /** Undoes what the target DDL made (before cutover). */
  rollback: string[];
  /**
   * Cutover: keep the source under a backup name and put the compatibility view at the
   * old name; or, where no view can stand, freeze the source read-only. For
   * `foreign-view`, the statements that create the foreign server and its user mapping
   * are shown with their options redacted: the executor creates them from app-config at
   * cutover, so no address or credential is ever part of a plan.
   */
  cutover: string[];
  /** Undoes the cutover: the source is back at its name, as it was. */
  cutoverRollback: string[];
  /**
   * Cutover, on the target, before readers and writers reach the new table: positions
   * each identity's sequence after the largest key the table holds (PostgreSQL: the
   * copy wrote the keys, which never advances a sequence; MySQL/MariaDB and SQLite
   * advance their counters by themselves), and makes a GENERATED ALWAYS identity ALWAYS
   * again (it is BY DEFAULT while the copy writes the source's keys). Safe to repeat.
   * Absent in plans made before it existed, and where no column has an identity.
   */
  identitySync?: string[];
  /**
   * `view` and `foreign-view`, run on the target just before the cutover: change
   * capture on the new table (a log `dm_cw_<table>` and row triggers), so every write
   * it takes from cutover on, through the compatibility view or directly, is counted.
   * Rolling back would lose those writes, so rollback is refused once there are any.
   * Absent in plans made before it existed.
   */
  compatibilityCapture?: string[];
  /** Removes `compatibilityCapture` from the target (cutover undone, or cleanup). */
  compatibilityCaptureRemoval?: string[];
  /**
   * `view` plans whose table other tables reference: per foreign key of
   * `source.referencedBy`, in its order, two statements run at cutover before the
   * rename: drop the foreign key, add it again (same name, columns and actions)
   * referencing the new table's columns. The executor skips one already done, so a
   * retry after a crash is safe; MySQL/MariaDB add it with foreign_key_checks off
   * (no table copy: the source is frozen and verified equal to the new table).
   * Absent in plans made before it existed.
   */
  incomingForeignKeys?: string[];
  /** Undoes `incomingForeignKeys` once the source is back at its name: two statements per foreign key. */
  incomingForeignKeysRollback?: string[];
  /**
   * PostgreSQL: the re-pointed foreign keys are added NOT VALID (no scan under the
   * cutover's locks); these validate them afterwards, with a weaker lock.
   */
  incomingForeignKeysValidation?: string[];
  /**
   * After the grace period or finalize: drops the view and the backup (or the frozen
   * source); for `foreign-view` also the foreign table, and the foreign server and user
   * mapping once no other foreign table uses them.
   */
  cleanup: string[];
};

/** Result of proving the plan on the real databases before it is offered. @public */
export type PreflightResult = {
  status: 'passed' | 'failed';
  sampleRows: number;
  /** Which artifact failed, when it failed. */
  failedArtifact?: keyof PlanArtifacts;
  error?: string;
  durationMs: number;
};

/** The agent's output for one dataset. @public */
export type Plan = {
  hash: string;
  entityRef: string;
  agent: { id: string; version: string };
  source: TableSchema;
  target: PlanTarget;
  columns: ColumnMapping[];
  copyStrategy: CopyStrategy;
  compatibility: CompatibilityMode;
  /** Key columns the copy orders by: the primary key, or a unique not-null index. */
  copyKey: string[];
  artifacts: PlanArtifacts;
  findings: Finding[];
  preflight?: PreflightResult;
  /**
   * Why this agent version made the plan: `stable`, or the rollout that assigned the
   * candidate (`candidate: rollout R, step 2, 25 %`). Not part of the hash: the same
   * plan approved at one step is the same plan at the next.
   */
  agentChoice?: string;
  createdAt: string;
};
