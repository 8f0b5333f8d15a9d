import type {
  ColumnIdentity,
  CompatibilityMode,
  CopyStrategy,
  IndexSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Dialect, TableName } from '../../dialects/Dialect';
import type { LogicalType } from '../../dialects/LogicalType';
import type { PlannedConstraints } from './constraintsDdl';
import type { RepointedForeignKey } from './repointForeignKeys';

/** One target column as the SQL generator needs it. */
export type ModelColumn = {
  target: string;
  targetType: string;
  targetLogical: LogicalType;
  isNullable: boolean;
  /** Default as a SQL literal in the target dialect, or null. */
  defaultLiteral: string | null;
  /** Source-dialect SQL producing the value (cast and default fill applied). */
  sourceExpression: string;
  /** Values the target generates for the column, carried from the source. */
  identity?: ColumnIdentity;
  /** An explicit collation of the target column. */
  collation?: string;
  /**
   * The column keeps its declared type exactly (one engine, no cast): the engine's own
   * hashes of that type agree on both sides, so validation may use them.
   */
  isVerbatim?: boolean;
};

/** A column of the old shape, as the compatibility view presents it. */
export type ViewColumn = { oldName: string; expression: string };

/** Everything the SQL generator turns into artifacts; built by the SQL agent. */
export type ArtifactModel = {
  sourceDialect: Dialect;
  targetDialect: Dialect;
  source: TableName;
  target: TableName;
  columns: ModelColumn[];
  viewColumns: ViewColumn[];
  /** Target column names of the primary key. */
  primaryKey: string[];
  /** Target indexes (names already bounded). */
  indexes: IndexSchema[];
  /**
   * Whether the indexes are built after the copy (`postCopyDdl`) instead of with the
   * table (`targetDdl`); absent: with the table.
   */
  indexesAfterCopy?: boolean;
  /** CHECK, UNIQUE (and SQLite's foreign keys) inside the CREATE TABLE; foreign keys after the copy. */
  constraints?: Pick<PlannedConstraints, 'tableConstraints' | 'afterCopy'>;
  /** Source column names the copy orders by; empty: copied in one pass. */
  copyKey: string[];
  /** Declared source types of the copy-key columns, for the change log's columns. */
  copyKeyTypes: string[];
  isSameDatabase: boolean;
  copyStrategy: CopyStrategy;
  compatibility: CompatibilityMode;
  /** `foreign-view`: the postgres_fdw server through which the source reads the target. */
  foreignServer?: string;
  /** Where frozen-source writers are sent, for the error they see. */
  movedToLabel: string;
  /** `view` plans: foreign keys of other tables that cutover re-points to the new table. */
  incomingForeignKeys?: RepointedForeignKey[];
};
