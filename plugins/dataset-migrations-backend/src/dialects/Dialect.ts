import type {
  Engine,
  IndexSchema,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import type { TableColumn } from './columnClauses';
import type { LogicalType } from './LogicalType';
import type { ChecksumOptions, KeyPart } from './rowChecksum';
import type { FreezeKind } from './names';
import type {
  CaptureStatements,
  ChecksumAggregate,
  ColumnDdlType,
  CreateIndexStatement,
  CreateTableStatement,
  CreateViewStatement,
  DropTableStatement,
  DropTruncateGuardStatements,
  DropViewStatement,
  FreezeStatements,
  LimitClause,
  OwnedTableStatements,
  QualifiedTableName,
  QuotedIdentifier,
  RenameTableStatement,
  SelectQuery,
  SqlExpression,
  SqlLiteral,
  StopCaptureStatements,
  TruncateGuardStatements,
  UnfreezeStatements,
} from './sqlPieces';

/** A table's place in one database: schema (absent on SQLite) and name. */
export type TableName = { schema?: string; table: string };

/**
 * Everything engine-specific the planner and executor need, one implementation per
 * engine (`sqlite.ts`, `postgres.ts`, `mysql.ts`): adding an engine is adding a file.
 * Every identifier that reaches SQL goes through `quote`; every value through
 * `literal` or knex bindings. Its sections say what each member is for; the types in
 * `sqlPieces.ts` say which piece of SQL each member writes.
 */
export interface Dialect
  extends DialectNaming,
    DialectIntrospection,
    DialectTypes,
    DialectTables,
    DialectViews,
    DialectQueryClauses,
    DialectWriteFreeze,
    DialectChangeCapture,
    DialectOwnership {
  readonly engine: Engine;
  /** Whether DDL can run inside a transaction that is rolled back (PostgreSQL, SQLite). */
  readonly isTransactionalDdl: boolean;

  /**
   * Runs generated statements (no bindings) in order on `db`, stopping at the first
   * error. PostgreSQL sends them in one round trip (one simple-query string); SQLite
   * (knex prepares one statement per call) and MySQL/MariaDB (connections keep
   * `multipleStatements` off) one by one. Atomic only where `db` is a transaction.
   */
  runStatements(
    db: Knex | Knex.Transaction,
    statements: readonly string[],
  ): Promise<void>;

  /**
   * Runs generated statements (no bindings) as one transaction on a connection of
   * `knex`: PostgreSQL as one string in one round trip (one implicit transaction),
   * SQLite one by one inside a transaction. MySQL/MariaDB commit each DDL statement,
   * so there it is atomic only for statements other than DDL: callers branch on
   * `isTransactionalDdl` first.
   */
  runAtomically(knex: Knex, statements: readonly string[]): Promise<void>;
}

/** Identifiers as the engine reads them. */
export interface DialectNaming {
  /**
   * Quotes one identifier for this engine (`"a""b"` style on PostgreSQL/SQLite,
   * backticks on MySQL). Throws an `InputError` for a name that cannot be quoted safely:
   * empty, over the engine's length limit, or holding NUL/control characters or the
   * engine's quote character.
   */
  quote(name: string): QuotedIdentifier;

  /** The quoted, schema-qualified table name (`"s"."t"`, `` `db`.`t` ``, `"t"`). */
  qualify(name: TableName): QualifiedTableName;
}

/** What the engine's catalog says about a table and its neighbours. */
export interface DialectIntrospection {
  /**
   * Reads a table's columns (declared type with length/precision, nullability, default),
   * primary key in key order (composite included), unique constraints and indexes
   * (without the primary key's own index), and a row estimate (engine statistics, or an
   * exact count for SQLite). On PostgreSQL and MySQL a missing schema means the
   * connection's current schema/database. Throws `NotFoundError` naming the table when it
   * does not exist. With `shapeOnly`, only what a comparison of the table's shape reads
   * (columns, keys, indexes and the constraints that mark them): no row count
   * (`rowEstimate` 0) and no incoming foreign keys (`referencedBy` empty), so a check
   * right before a migration never scans the table.
   */
  introspect(
    knex: Knex,
    connection: string,
    name: TableName,
    options?: { shapeOnly?: boolean },
  ): Promise<TableSchema>;

  /** The schema an unqualified name resolves to on this connection (`public`, the database name), or undefined on SQLite. */
  currentSchema(knex: Knex): Promise<string | undefined>;

  /**
   * Whatever already holds `name` in its schema, so a CREATE TABLE of it would fail or a
   * reader could mistake one for the other: tables, views and other objects sharing the
   * tables' namespace, matched case-insensitively where the engine folds the case of
   * names (SQLite always; MySQL/MariaDB with lower_case_table_names; PostgreSQL for the
   * unquoted spelling of the name).
   */
  findRelations(knex: Knex, name: TableName): Promise<Relation[]>;
}

/** Types, values and the expressions built on them. */
export interface DialectTypes {
  /** Parses a declared type (as `introspect` reports it) into the portable model. Unknown types map to `text`. */
  toLogical(declaredType: string): LogicalType;

  /** Renders a portable type as this engine's DDL type. */
  renderType(type: LogicalType): ColumnDdlType;

  /**
   * What is lost when this engine stores a value of `type`, as a sentence for a lint
   * finding (e.g. "MySQL has no time-zone-aware timestamp: values are stored as UTC
   * DATETIME"), or undefined when the engine stores it exactly.
   */
  lossOf(type: LogicalType): string | undefined;

  /** A SQL literal for a default value (strings escaped for this engine). */
  literal(value: string | number | boolean): SqlLiteral;

  /** `CAST(expression AS <type>)` in this engine's spelling. */
  cast(expression: SqlExpression, type: LogicalType): SqlExpression;

  /**
   * An aggregate over `expression` (a column or expression of logical type `type`) whose
   * value agrees across engines for the same data, so source and target can be compared:
   * - smallint/integer/bigint: SUM of the value
   * - boolean: SUM of 1 for true, 0 for false
   * - decimal(p,s): SUM(ROUND(expr * 10^s)) (an integer)
   * - double: SUM(expr) (compared with a relative tolerance)
   * - date: SUM of days since 1970-01-01
   * - timestamp/timestamptz: SUM of seconds since 1970-01-01 00:00:00 (UTC for tz)
   * - time: SUM of seconds since midnight
   * - char/varchar/text/json/uuid/binary: SUM of the first 32 bits of MD5 of the
   *   value's UTF-8 text (SQLite: the `dm_md5_32` function that `prepareConnection`
   *   registers)
   * NULLs are ignored by the aggregate; the caller counts them with COUNT(expr).
   * With `isSameEngine` (both sides of the comparison are this engine) an engine may
   * use a faster hash of its own that only it computes (PostgreSQL: `hashtext`).
   */
  checksum(
    expression: SqlExpression,
    type: LogicalType,
    options?: ChecksumOptions,
  ): ChecksumAggregate;

  /**
   * A double column's sum with each value weighted by its row's `key` (the copy key's
   * columns, or all columns): a weight in (0, 1) from the key, alike on every engine,
   * so values swapped between rows or changed keeping their sum show (compared with
   * the doubles' tolerance).
   */
  keyWeightedSum(
    expression: SqlExpression,
    key: KeyPart[],
    options?: ChecksumOptions,
  ): ChecksumAggregate;

  /**
   * The sum over rows of the first 32 bits of MD5 (`hashtext` with `isSameEngine` on
   * PostgreSQL) of the row's non-double values as one text: each char/varchar/text/uuid
   * as `<character count>:<text>`, any other as the digits `checksum` sums, NULL as `n`,
   * joined by `|` in column order. One hash a row: rows changed, swapped or moved
   * between columns show, NULL and '' differ. Doubles are left to `keyWeightedSum`.
   */
  rowChecksum(parts: KeyPart[], options?: ChecksumOptions): ChecksumAggregate;

  /** Registers what this engine's generated SQL needs on a new pooled connection (SQLite: `dm_md5_32`). */
  prepareConnection?(rawConnection: unknown): void;
}

/** DDL of tables and their indexes. */
export interface DialectTables {
  /** DDL for a table with primary key (empty key: none), identities and collations. */
  createTable(
    name: TableName,
    columns: TableColumn[],
    primaryKey: string[],
  ): CreateTableStatement;
  /**
   * DDL for an index. `columnTypes` (column name -> the DDL type given to `createTable`)
   * lets MySQL index TEXT/BLOB columns, which it accepts only with a prefix length.
   */
  createIndex(
    name: TableName,
    index: IndexSchema,
    columnTypes?: Record<string, ColumnDdlType>,
  ): CreateIndexStatement;
  renameTable(from: TableName, toTable: string): RenameTableStatement;
  dropTableIfExists(name: TableName): DropTableStatement;
}

/** DDL of the compatibility views. */
export interface DialectViews {
  createView(name: TableName, selectSql: SelectQuery): CreateViewStatement;
  dropViewIfExists(name: TableName): DropViewStatement;
}

/** Clauses appended to the queries the copy and verify steps write. */
export interface DialectQueryClauses {
  /** A LIMIT clause (`LIMIT n`). */
  limit(count: number): LimitClause;
}

/** Keeping writers off a source table while it moves. */
export interface DialectWriteFreeze {
  /**
   * Statements that make a table refuse INSERT, UPDATE and DELETE with `message` while
   * reads go on (triggers), for sources that no view can replace. Freezes of different
   * `kind` use different triggers, so one can be put in place before the other goes.
   */
  freezeTable(
    name: TableName,
    message: string,
    kind?: FreezeKind,
  ): FreezeStatements;
  /** Undoes `freezeTable` of that `kind`; safe when the table is gone. */
  unfreezeTable(name: TableName, kind?: FreezeKind): UnfreezeStatements;
  /**
   * Where TRUNCATE fires no trigger and so passes a freeze (MySQL/MariaDB): statements
   * that make it fail on `name` by other means; none where the freeze already refuses
   * it (PostgreSQL's statement trigger, SQLite, which has no TRUNCATE) (a guard table whose foreign key
   * references the `key` columns; InnoDB refuses to truncate a referenced table). The
   * guard follows the table through a rename, and must go before the table is dropped.
   */
  guardTable(name: TableName, key: string[]): TruncateGuardStatements;
  /** Undoes `guardTable`, wherever the guarded table stands now. */
  unguardTable(name: TableName): DropTruncateGuardStatements;
}

/** Recording the source's writes during the copy, for catch-up. */
export interface DialectChangeCapture {
  /**
   * Statements that start change capture on `name` for catch-up: the table `log`, with
   * an increasing `dm_seq` and the key columns as `dm_k0`, `dm_k1`, ... of the key's
   * declared types, and AFTER INSERT/UPDATE/DELETE row triggers that append the key of
   * every written row (an UPDATE: the old key, and the new key too when it changed).
   */
  captureChanges(
    name: TableName,
    log: TableName,
    key: CaptureKey[],
  ): CaptureStatements;
  /**
   * Undoes `captureChanges` wherever the table stands now: under its name, under its
   * backup name after cutover, or dropped (its triggers with it).
   */
  stopCapture(name: TableName, log: TableName): StopCaptureStatements;
}

/** Which migration made a table, so nothing drops a table it did not make. */
export interface DialectOwnership {
  /**
   * `createTable` (this dialect's CREATE TABLE of `name`) as statements that also mark
   * the table as made by migration `owner`, in one statement or, where DDL is
   * transactional, in statements the caller runs in one transaction: a crash can never
   * leave the table without its mark.
   */
  createOwnedTable(
    createTable: CreateTableStatement,
    name: TableName,
    owner: string,
  ): OwnedTableStatements;
  /** The migration whose mark the table at exactly `name` carries, if any. */
  tableOwner(knex: Knex, name: TableName): Promise<string | undefined>;

  /**
   * The schemas (MySQL/MariaDB: databases) this connection can see that may hold
   * datasets: all but the engine's own catalogs. SQLite: none, a file has no schemas.
   */
  listSchemas(knex: Knex): Promise<string[]>;
  /**
   * The base tables of `schemas` (SQLite: of the file, `schemas` ignored) with their
   * columns in column order, sorted by schema and table. Views, partitions and the
   * engine's internal tables are left out; tables the plugin made are not (see
   * `isPluginTableName`).
   */
  listTables(knex: Knex, schemas: string[]): Promise<ListedTable[]>;
}

/** A table as `listTables` reports it: its place and its columns' declared types. */
export type ListedTable = TableName & {
  columns: Array<{ name: string; declaredType: string }>;
};

/** An object holding a table name: its name as stored and what it is (`table`, `view`, ...). */
export type Relation = { name: string; kind: string };

/** A copy-key column of the source as change capture logs it. */
export type CaptureKey = { name: string; declaredType: string };
