import { NotFoundError } from '@backstage/errors';
import type {
  IndexSchema,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { runInKnexTransaction, runOneByOne } from './runStatements';
import { allRows } from './rawRows';
import { boundedName, captureTriggers, freezeTriggers } from './names';
import {
  commonLogical,
  createTableStatement,
  standardStatements,
  logColumnType,
  logKeyColumns,
  numberLiteral,
  parseDeclared,
  quoteWith,
  stringLiteral,
} from './common';
import type { CaptureKey, Dialect, TableName } from './Dialect';
import { withSqliteConstraints } from './sqliteConstraints';
import { sqliteChecksum } from './sqliteChecksum';
import { keyWeightedSumOf, rowChecksumOf } from './rowChecksum';
import type { LogicalType } from './LogicalType';
import type { CaptureStatements, ColumnDdlType } from './sqlPieces';
import { sqliteIncomingKeys } from './sqliteIncomingKeys';
import { sqliteRelations } from './sqliteRelations';
import { sqliteTables } from './sqliteTables';
import { md5First32 } from './md5_32';
import { sqliteColumnClauses } from './columnClauses';
import { withSqliteColumnDetails } from './sqliteColumns';

// SQLite has no identifier limit of its own; 255 bytes keeps names usable on every
// other engine's tooling while accepting any name a real SQLite schema is likely to hold.
const MAX_IDENTIFIER_BYTES = 255;
const quote = (name: string) =>
  quoteWith('"', name, { bytes: MAX_IDENTIFIER_BYTES }, 'SQLite');
const qualify = (name: TableName) =>
  name.schema
    ? `${quote(name.schema)}.${quote(name.table)}`
    : quote(name.table);

/** SQLite's type affinity rules, for declared types that are not standard names. */
function byAffinity(declared: string): LogicalType {
  const t = declared.toLowerCase();
  if (t.includes('int')) return { kind: 'bigint' };
  if (/char|clob|text/.test(t)) return { kind: 'text' };
  if (t.includes('blob')) return { kind: 'binary' };
  if (/real|floa|doub/.test(t)) return { kind: 'double' };
  // No declared type (BLOB affinity) holds whatever was written, most often text.
  return { kind: 'text' };
}

/**
 * What SQLite keeps differently from a typed engine, by kind. Values survive exactly
 * (0/1, ISO-8601 text), but readers see SQLite's storage classes, not the type.
 */
const SQLITE_LOSS: Partial<Record<LogicalType['kind'], string>> = {
  boolean:
    'SQLite has no boolean type: values are stored as integers 0/1 and readers get numbers, not true/false',
  date: 'SQLite has no date type: values are stored as ISO-8601 text (YYYY-MM-DD) and are not checked',
  timestamp:
    'SQLite has no timestamp type: values are stored as ISO-8601 text (YYYY-MM-DD HH:MM:SS) and are not checked',
  timestamptz:
    'SQLite has no time-zone-aware timestamp: values are stored as UTC text and lose their zone',
  time: 'SQLite has no time type: values are stored as text (HH:MM:SS) and are not checked',
  json: 'SQLite has no json type: documents are stored as TEXT, exactly as written, and are not validated',
  uuid: 'SQLite has no uuid type: values are stored as TEXT and are not validated',
};

/** The table's name as stored, or undefined when there is no such table. */
async function storedTableName(
  knex: Knex,
  name: TableName,
): Promise<string | undefined> {
  const master = name.schema
    ? `${quote(name.schema)}.sqlite_master`
    : 'sqlite_master';
  // SQLite resolves table names case-insensitively: report the name as stored.
  const rows = allRows(
    await knex.raw(
      `SELECT name FROM ${master} WHERE type = 'table' AND name = ? COLLATE NOCASE`,
      [name.table],
    ),
  );
  const exact = rows.find(r => r.name === name.table);
  return exact ? name.table : (rows[0]?.name as string | undefined);
}

/** The CREATE TABLE statement SQLite keeps for a table (collations, AUTOINCREMENT). */
async function createStatement(
  knex: Knex,
  schema: string | undefined,
  table: string,
): Promise<string> {
  const master = schema ? `${quote(schema)}.sqlite_master` : 'sqlite_master';
  const rows = allRows(
    await knex.raw(
      `SELECT sql FROM ${master} WHERE type = 'table' AND name = ?`,
      [table],
    ),
  );
  return String(rows[0]?.sql ?? '');
}

/** The row triggers that append written keys to the change log. */
function captureTriggerDdl(
  name: TableName,
  log: TableName,
  key: CaptureKey[],
): CaptureStatements {
  const columns = logKeyColumns(key.length).map(quote).join(', ');
  // A trigger body may only name tables of its own database, unqualified.
  const into = `INSERT INTO ${quote(log.table)} (${columns})`;
  const row = (record: 'OLD' | 'NEW') =>
    key.map(k => `${record}.${quote(k.name)}`).join(', ');
  // IS is NULL-safe equality: a key that did not change logs one entry, not two.
  const isKeyKept = key
    .map(k => `OLD.${quote(k.name)} IS NEW.${quote(k.name)}`)
    .join(' AND ');
  const body: Record<'insert' | 'update' | 'delete', string> = {
    insert: `${into} VALUES (${row('NEW')});`,
    update: `${into} VALUES (${row('OLD')});\n  ${into} SELECT ${row(
      'NEW',
    )} WHERE NOT (${isKeyKept});`,
    delete: `${into} VALUES (${row('OLD')});`,
  };
  return captureTriggers(name).map(
    t =>
      `CREATE TRIGGER ${qualify(t.name)} AFTER ${t.op.toUpperCase()} ON ${quote(
        name.table,
      )}\nBEGIN\n  ${body[t.op]}\nEND`,
  );
}

export const sqliteDialect: Dialect = {
  ...standardStatements(qualify),
  ...sqliteRelations({ quote, qualify }),
  ...sqliteTables,
  engine: 'sqlite',
  isTransactionalDdl: true,
  runStatements: runOneByOne,
  runAtomically: runInKnexTransaction,
  quote,
  qualify,

  async currentSchema() {
    return undefined;
  },

  async introspect(
    knex: Knex,
    connection: string,
    name: TableName,
    options?: { shapeOnly?: boolean },
  ): Promise<TableSchema> {
    const shapeOnly = options?.shapeOnly ?? false;
    const table = await storedTableName(knex, name);
    if (table === undefined) {
      throw new NotFoundError(
        `Table ${name.schema ? `${name.schema}.` : ''}${
          name.table
        } does not exist on connection ${connection}`,
      );
    }
    // The pragmas' table-valued forms take the schema as a second argument ('main' by default).
    const schema = name.schema ?? 'main';
    const columns = allRows(
      await knex.raw(
        `SELECT name, type, "notnull" AS is_notnull, dflt_value AS dflt, pk FROM pragma_table_info(?, ?) ORDER BY cid`,
        [table, schema],
      ),
    );
    const primaryKey = columns
      .filter(c => Number(c.pk) > 0)
      .sort((a, b) => Number(a.pk) - Number(b.pk))
      .map(c => String(c.name));
    const indexes: IndexSchema[] = [];
    const list = allRows(
      await knex.raw(
        `SELECT name, "unique" AS uniq, origin, partial FROM pragma_index_list(?, ?)`,
        [table, schema],
      ),
    );
    for (const index of list) {
      // The primary key's own index and partial indexes (a WHERE the plan cannot carry) stay out.
      if (index.origin === 'pk' || Number(index.partial) === 1) continue;
      const cols = allRows(
        await knex.raw(
          `SELECT name FROM pragma_index_info(?, ?) ORDER BY seqno`,
          [String(index.name), schema],
        ),
      );
      if (cols.some(c => c.name === null)) continue; // expression index
      indexes.push({
        name: String(index.name),
        columns: cols.map(c => String(c.name)),
        isUnique: Number(index.uniq) === 1,
      });
    }
    const [count] = shapeOnly
      ? [{ n: 0 }]
      : allRows(
          await knex.raw(
            `SELECT COUNT(*) AS n FROM ${qualify({
              schema: name.schema,
              table,
            })}`,
          ),
        );
    return withSqliteConstraints(knex, {
      connection,
      engine: 'sqlite',
      ...(name.schema ? { schema: name.schema } : {}),
      table,
      columns: withSqliteColumnDetails(
        columns.map(c => ({
          name: String(c.name),
          type: String(c.type ?? '').toLowerCase(),
          // An INTEGER PRIMARY KEY is the rowid: never NULL, though not declared NOT NULL.
          isNullable: Number(c.is_notnull) === 0 && Number(c.pk) === 0,
          defaultValue:
            c.dflt === null || c.dflt === undefined ? null : String(c.dflt),
        })),
        primaryKey,
        await createStatement(knex, name.schema, table),
      ),
      primaryKey,
      indexes: indexes.sort((a, b) => a.name.localeCompare(b.name)),
      rowEstimate: Number(count?.n ?? 0),
      referencedBy: shapeOnly
        ? []
        : await sqliteIncomingKeys(knex, quote, schema, table, primaryKey),
    });
  },

  toLogical(declared: string): LogicalType {
    const { base, p1, p2 } = parseDeclared(declared);
    // SQLite integers are 64-bit whatever the declared name says: INTEGER (the rowid's
    // type and the usual spelling) maps to bigint so no target narrows the values.
    if (['int', 'integer', 'mediumint', 'int4', 'serial'].includes(base))
      return { kind: 'bigint' };
    return commonLogical(base, p1, p2) ?? byAffinity(declared);
  },

  renderType(type: LogicalType): ColumnDdlType {
    // Declared names are chosen so that toLogical reads them back, and so that SQLite's
    // affinity never rewrites a value: a column declared JSON would get NUMERIC affinity
    // and store the document '1.50' as the number 1.5.
    switch (type.kind) {
      case 'smallint':
        return 'SMALLINT';
      case 'integer':
      case 'bigint':
        return 'INTEGER';
      case 'decimal':
        return type.precision !== undefined
          ? `NUMERIC(${type.precision},${type.scale ?? 0})`
          : 'NUMERIC';
      case 'double':
        return 'REAL';
      case 'boolean':
        return 'BOOLEAN';
      case 'char':
        return `CHAR(${type.length ?? 1})`;
      case 'varchar':
        return type.length ? `VARCHAR(${type.length})` : 'TEXT';
      case 'date':
        return 'DATE';
      case 'timestamp':
      case 'timestamptz':
        return 'DATETIME';
      case 'time':
        return 'TIME';
      case 'binary':
        return 'BLOB';
      default:
        // text, json and uuid
        return 'TEXT';
    }
  },

  lossOf(type: LogicalType): string | undefined {
    if (
      type.kind === 'decimal' &&
      (type.precision === undefined || type.precision > 15)
    ) {
      return `SQLite stores ${
        type.precision
          ? `NUMERIC(${type.precision},${type.scale ?? 0})`
          : 'NUMERIC'
      } values with a fraction as binary floating point (REAL): exact only to about 15 significant digits`;
    }
    return SQLITE_LOSS[type.kind];
  },

  literal(value) {
    if (typeof value === 'boolean') return value ? '1' : '0';
    if (typeof value === 'number') return numberLiteral(value);
    return stringLiteral(value, false);
  },

  cast(expression, type) {
    // CAST(x AS DATE) would take NUMERIC affinity and keep only the leading number of
    // '2024-01-02' (2024): SQLite's date functions do the conversions instead.
    switch (type.kind) {
      case 'date':
        return `date(${expression})`;
      case 'timestamp':
      case 'timestamptz':
        return `strftime('%Y-%m-%d %H:%M:%f', ${expression})`;
      case 'time':
        return `strftime('%H:%M:%f', ${expression})`;
      case 'boolean':
        return `(CASE WHEN (${expression}) IS NULL THEN NULL WHEN lower(${expression}) IN ('t', 'true', 'y', 'yes', 'on') THEN 1 WHEN (${expression}) THEN 1 ELSE 0 END)`;
      default:
        return `CAST(${expression} AS ${this.renderType(type)})`;
    }
  },

  checksum(expression, type, options) {
    return `SUM(${sqliteChecksum.term(expression, type, options)})`;
  },
  keyWeightedSum: (expression, key, options) =>
    keyWeightedSumOf(sqliteChecksum, expression, key, options),
  rowChecksum: (parts, options) =>
    rowChecksumOf(sqliteChecksum, parts, options),

  prepareConnection(raw: unknown) {
    const db = raw as {
      function(
        name: string,
        options: { deterministic: boolean },
        fn: (v: unknown) => unknown,
      ): void;
    };
    db.function('dm_md5_32', { deterministic: true }, md5First32);
  },

  createTable: (name, columns, primaryKey) =>
    createTableStatement(
      quote,
      qualify(name),
      columns,
      primaryKey,
      '',
      sqliteColumnClauses,
    ),
  createIndex(name, index) {
    // SQLite puts the schema on the index name and leaves the table unqualified.
    const bounded =
      Buffer.byteLength(index.name) > MAX_IDENTIFIER_BYTES
        ? boundedName(index.name, '')
        : index.name;
    const indexName = name.schema
      ? `${quote(name.schema)}.${quote(bounded)}`
      : quote(bounded);
    return `CREATE ${
      index.isUnique ? 'UNIQUE ' : ''
    }INDEX ${indexName} ON ${quote(name.table)} (${index.columns
      .map(quote)
      .join(', ')})`;
  },
  renameTable: (from, to) =>
    `ALTER TABLE ${qualify(from)} RENAME TO ${quote(to)}`,

  // SQLite has no TRUNCATE: a DELETE without WHERE fires the freeze triggers: nothing to guard.
  guardTable: () => [],
  unguardTable: () => [],

  freezeTable(name, message, kind) {
    return freezeTriggers(name.table, kind).map(
      t =>
        `CREATE TRIGGER ${qualify({
          schema: name.schema,
          table: t.name,
        })} BEFORE ${t.op.toUpperCase()} ON ${quote(
          name.table,
        )}\nBEGIN SELECT RAISE(ABORT, ${stringLiteral(message, false)}); END`,
    );
  },
  unfreezeTable(name, kind) {
    return freezeTriggers(name.table, kind).map(
      t =>
        `DROP TRIGGER IF EXISTS ${qualify({
          schema: name.schema,
          table: t.name,
        })}`,
    );
  },
  captureChanges(name, log, key) {
    const columns = logKeyColumns(key.length).map(
      (c, i) => `${quote(c)} ${logColumnType(key[i].declaredType, 'SQLite')}`,
    );
    // No AUTOINCREMENT: it would leave a sqlite_sequence table behind after rollback.
    // The largest dm_seq plus one is increasing enough, since catch-up deletes only
    // the entries it read.
    return [
      `CREATE TABLE ${qualify(log)} (${quote(
        'dm_seq',
      )} INTEGER PRIMARY KEY, ${columns.join(', ')})`,
      ...captureTriggerDdl(name, log, key),
    ];
  },
  stopCapture(name, log) {
    // Trigger names live in the schema, not the table: they drop wherever it is.
    return [
      ...captureTriggers(name).map(
        t => `DROP TRIGGER IF EXISTS ${qualify(t.name)}`,
      ),
      `DROP TABLE IF EXISTS ${qualify(log)}`,
    ];
  },
};
