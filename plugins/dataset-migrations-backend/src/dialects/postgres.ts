import { InputError, NotFoundError } from '@backstage/errors';
import type {
  IndexSchema,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { runAsOneScript, runAsOneTransaction } from './runStatements';
import { firstRow } from './rawRows';
import {
  boundedName,
  captureTriggerName,
  FreezeKind,
  freezeTriggerName,
} from './names';
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
import {
  POSTGRES_CONSTRAINTS_SQL,
  withPostgresConstraints,
} from './postgresConstraints';
import { postgresChecksum } from './postgresChecksum';
import { keyWeightedSumOf, rowChecksumOf } from './rowChecksum';
import type { LogicalType } from './LogicalType';
import type { ColumnDdlType } from './sqlPieces';
import {
  POSTGRES_INCOMING_KEYS_SQL,
  postgresIncomingKeysOf,
} from './postgresIncomingKeys';
import { postgresColumnClauses } from './columnClauses';
import { POSTGRES_COLUMNS_SQL, postgresColumnsOf } from './postgresColumns';
import { readCatalog } from './postgresCatalogBatch';
import { attributeName, relationName } from './postgresCatalogNames';
import { NAMED_RELATION } from './postgresNamedRelation';
import { postgresRelations } from './postgresRelations';
import { postgresTables } from './postgresTables';

// NAMEDATALEN - 1: PostgreSQL would silently truncate a longer name.
const MAX_IDENTIFIER_BYTES = 63;
const quote = (name: string) =>
  quoteWith('"', name, { bytes: MAX_IDENTIFIER_BYTES }, 'PostgreSQL');
const qualify = (name: TableName) =>
  name.schema
    ? `${quote(name.schema)}.${quote(name.table)}`
    : quote(name.table);
const triggerName = (table: string, kind?: FreezeKind) =>
  boundedName(freezeTriggerName(table, kind), '');
const refuseWritesFunction = (name: TableName) =>
  qualify({ schema: name.schema, table: 'dm_refuse_writes' });

/**
 * The freeze's function is shared by every frozen table of a schema, so concurrent
 * migrations there create and drop one catalog row: two `CREATE OR REPLACE` at once fail
 * with "tuple concurrently updated", and a drop can race a trigger being created on it.
 * Both take this lock first; it is held until their transaction ends (with the trigger
 * created, when the freeze runs in one transaction, as PostgreSQL steps do).
 */
const lockRefuseWrites = (fn: string) =>
  `PERFORM pg_advisory_xact_lock(hashtext(${stringLiteral(
    `dataset-migrations:${fn}`,
    false,
  )}));`;

/**
 * Creates the freeze's function unless it exists: never replaced, so concurrent freezes
 * never update the same catalog row. The exception handler covers a creator that got in
 * without the lock (an older version of this plugin).
 */
function createRefuseWritesIfMissing(name: TableName): string {
  const fn = `${refuseWritesFunction(name)}()`;
  return `DO $dm$
BEGIN
  ${lockRefuseWrites(fn)}
  IF to_regprocedure(${stringLiteral(fn, false)}) IS NULL THEN
    BEGIN
      CREATE FUNCTION ${fn} RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'read_only_sql_transaction';
      END
      $fn$;
    EXCEPTION WHEN duplicate_function OR unique_violation THEN
      NULL;
    END;
  END IF;
END
$dm$`;
}

/**
 * Drops the freeze's function once no trigger uses it, so a rolled-back or cleaned-up
 * migration leaves nothing in the source schema. Other tables of the schema may be
 * frozen by other migrations: then it stays. A trigger depends on its function
 * (pg_depend, indexed by the referenced object), so the check does not scan every
 * trigger of the database (pg_trigger has no index on the function).
 */
function dropRefuseWritesIfUnused(name: TableName): string {
  const fn = `${refuseWritesFunction(name)}()`;
  return `DO $dm$
BEGIN
  ${lockRefuseWrites(fn)}
  IF NOT EXISTS (
    SELECT 1 FROM pg_depend
    WHERE refclassid = 'pg_proc'::regclass
      AND refobjid = to_regprocedure(${stringLiteral(fn, false)})
      AND classid = 'pg_trigger'::regclass
  ) THEN
    DROP FUNCTION IF EXISTS ${fn};
  END IF;
END
$dm$`;
}

const captureFunction = (name: TableName) =>
  qualify({ schema: name.schema, table: captureTriggerName(name.table) });
const CAPTURE_TAG = '$dm_capture$';

/** The capture trigger's function: one per table, since it names the log and the key. */
function captureFunctionDdl(
  name: TableName,
  log: TableName,
  key: CaptureKey[],
): string {
  const columns = logKeyColumns(key.length).map(quote).join(', ');
  const row = (record: 'OLD' | 'NEW') =>
    key.map(k => `${record}.${quote(k.name)}`).join(', ');
  const append = (record: 'OLD' | 'NEW') =>
    `INSERT INTO ${qualify(log)} (${columns}) VALUES (${row(record)});`;
  // Row triggers never see a TRUNCATE, so nothing could replay it: refuse it instead.
  const refusal = stringLiteral(
    `TRUNCATE of ${name.table} is refused while it moves: catch-up cannot replay it; delete the rows instead`,
    false,
  );
  const body = `BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION '%', ${refusal} USING ERRCODE = 'object_in_use';
  ELSIF TG_OP = 'INSERT' THEN
    ${append('NEW')}
  ELSIF TG_OP = 'DELETE' THEN
    ${append('OLD')}
  ELSE
    ${append('OLD')}
    IF (${row('OLD')}) IS DISTINCT FROM (${row('NEW')}) THEN
      ${append('NEW')}
    END IF;
  END IF;
  RETURN NULL;
END`;
  // A quoted name may hold '$': one holding the tag would end the function body early.
  if (body.includes(CAPTURE_TAG)) {
    throw new InputError(
      `A name in ${qualify(
        name,
      )} holds ${CAPTURE_TAG}, which the change-capture function cannot quote; rename it with a rule`,
    );
  }
  return `CREATE OR REPLACE FUNCTION ${captureFunction(
    name,
  )}() RETURNS trigger LANGUAGE plpgsql AS ${CAPTURE_TAG}\n${body}\n${CAPTURE_TAG}`;
}

async function currentSchema(knex: Knex): Promise<string | undefined> {
  const schema = firstRow(await knex.raw('SELECT current_schema() AS s'))?.s;
  return typeof schema === 'string' ? schema : undefined;
}

/** An index name within the limit: a long one is shortened with a hash of itself. */
const indexNameFor = (name: string) =>
  Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES ? boundedName(name, '') : name;

export const postgresDialect: Dialect = {
  ...standardStatements(qualify),
  ...postgresRelations({ qualify, currentSchema }),
  ...postgresTables,
  engine: 'postgres',
  isTransactionalDdl: true,
  runStatements: runAsOneScript,
  runAtomically: runAsOneTransaction,
  quote,
  qualify,
  currentSchema,

  async introspect(
    knex: Knex,
    connection: string,
    name: TableName,
    options?: { shapeOnly?: boolean },
  ): Promise<TableSchema> {
    const shapeOnly = options?.shapeOnly ?? false;
    const schema = name.schema ?? (await currentSchema(knex));
    if (schema === undefined) {
      throw new InputError(
        `Connection ${connection} has no current schema (empty search_path); name the table of ${name.table} with its schema`,
      );
    }
    // The table's lookup (with the statistics' row estimate), columns, keys and
    // constraints, and the foreign keys of other tables that reference it, in one
    // round trip (see readCatalog).
    const named = [schema, name.table];
    const [relations, columnRows, keyRows, constraintRows, incomingRows] =
      await readCatalog(knex, [
        {
          sql: `SELECT c.oid, c.reltuples::bigint AS n FROM pg_class c
         WHERE c.oid = ${NAMED_RELATION} AND c.relkind IN ('r', 'p')`,
          bindings: named,
        },
        { sql: POSTGRES_COLUMNS_SQL, bindings: named },
        {
          sql: `SELECT ${relationName('ix.indexrelid')} AS name,
                ix.indisunique AS uniq, ix.indisprimary AS pk,
                ${attributeName('ix.indrelid', 'k.attnum')} AS col
         FROM pg_index ix
         CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
         WHERE ix.indrelid = ${NAMED_RELATION} AND ix.indpred IS NULL AND ix.indexprs IS NULL
           AND k.ord <= ix.indnkeyatts
         ORDER BY 1, k.ord`,
          bindings: named,
        },
        { sql: POSTGRES_CONSTRAINTS_SQL, bindings: named },
        ...(shapeOnly
          ? []
          : [
              {
                sql: POSTGRES_INCOMING_KEYS_SQL,
                bindings: [...named, ...named],
              },
            ]),
      ]);
    const relation = relations[0];
    if (!relation) {
      throw new NotFoundError(
        `Table ${schema}.${name.table} does not exist on connection ${connection}`,
      );
    }
    const columns = postgresColumnsOf(columnRows);
    let primaryKey: string[] = [];
    const byName = new Map<string, IndexSchema>();
    for (const row of keyRows) {
      if (row.pk) {
        primaryKey = [...primaryKey, String(row.col)];
        continue;
      }
      const index = byName.get(String(row.name)) ?? {
        name: String(row.name),
        columns: [],
        isUnique: Boolean(row.uniq),
      };
      index.columns.push(String(row.col));
      byName.set(index.name, index);
    }
    const estimate = shapeOnly ? { n: 0 } : relation;
    let rowEstimate = Math.max(0, Number(estimate?.n ?? -1));
    if (rowEstimate === 0 && !shapeOnly) {
      // Never analyzed (-1) or empty by statistics: count, the table is small or new.
      rowEstimate = Number(
        firstRow(
          await knex.raw(
            `SELECT COUNT(*) AS n FROM ${qualify({
              schema,
              table: name.table,
            })}`,
          ),
        )?.n ?? 0,
      );
    }
    return withPostgresConstraints(
      {
        connection,
        engine: 'postgres',
        schema,
        table: name.table,
        columns,
        primaryKey,
        indexes: [...byName.values()].sort((a, b) =>
          a.name.localeCompare(b.name),
        ),
        rowEstimate,
        referencedBy: shapeOnly
          ? []
          : postgresIncomingKeysOf(schema, name.table, incomingRows),
      },
      constraintRows,
    );
  },

  toLogical(declared: string): LogicalType {
    const cleaned = declared.replace(/^(timestamp|time)\s*\(\d+\)/i, '$1');
    const { base, p1, p2 } = parseDeclared(cleaned);
    if (base === 'bpchar') return { kind: 'char', length: p1 ?? 1 };
    return commonLogical(base, p1, p2) ?? { kind: 'text' };
  },

  renderType(type: LogicalType): ColumnDdlType {
    switch (type.kind) {
      case 'decimal':
        return type.precision !== undefined
          ? `numeric(${type.precision},${type.scale ?? 0})`
          : 'numeric';
      case 'double':
        return 'double precision';
      case 'char':
        return `char(${type.length ?? 1})`;
      case 'varchar':
        return type.length ? `varchar(${type.length})` : 'text';
      case 'binary':
        return 'bytea';
      // json keeps the text as written (jsonb would normalise it and break checksums).
      default:
        return type.kind;
    }
  },

  lossOf() {
    return undefined;
  },

  literal(value) {
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
    if (typeof value === 'number') return numberLiteral(value);
    return stringLiteral(value, false);
  },

  cast(expression, type) {
    return `CAST(${expression} AS ${this.renderType(type)})`;
  },

  checksum(expression, type, options) {
    return `SUM(${postgresChecksum.term(expression, type, options)})`;
  },
  keyWeightedSum: (expression, key, options) =>
    keyWeightedSumOf(postgresChecksum, expression, key, options),
  rowChecksum: (parts, options) =>
    rowChecksumOf(postgresChecksum, parts, options),

  createTable: (name, columns, primaryKey) =>
    createTableStatement(quote, qualify(name), columns, primaryKey, '', c =>
      postgresColumnClauses(c, quote),
    ),
  createIndex(name, index, columnTypes) {
    // json has no btree operator class: index its text, which is what the source compared.
    const columns = index.columns.map(column =>
      /^json$/i.test(columnTypes?.[column]?.trim() ?? '')
        ? `(${quote(column)}::text)`
        : quote(column),
    );
    return `CREATE ${index.isUnique ? 'UNIQUE ' : ''}INDEX ${quote(
      indexNameFor(index.name),
    )} ON ${qualify(name)} (${columns.join(', ')})`;
  },
  renameTable: (from, to) =>
    `ALTER TABLE ${qualify(from)} RENAME TO ${quote(to)}`,

  // PostgreSQL's freeze refuses TRUNCATE with a statement trigger of its own: nothing to guard.
  guardTable: () => [],
  unguardTable: () => [],

  freezeTable(name, message, kind) {
    const fn = refuseWritesFunction(name);
    return [
      createRefuseWritesIfMissing(name),
      `CREATE TRIGGER ${quote(
        triggerName(name.table, kind),
      )} BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${qualify(
        name,
      )}\nFOR EACH STATEMENT EXECUTE FUNCTION ${fn}(${stringLiteral(
        message,
        false,
      )})`,
    ];
  },
  unfreezeTable(name, kind) {
    return [
      `DROP TRIGGER IF EXISTS ${quote(
        triggerName(name.table, kind),
      )} ON ${qualify(name)}`,
      dropRefuseWritesIfUnused(name),
    ];
  },

  captureChanges(name, log, key) {
    const columns = logKeyColumns(key.length).map(
      (c, i) =>
        `${quote(c)} ${logColumnType(key[i].declaredType, 'PostgreSQL')}`,
    );
    return [
      `CREATE TABLE ${qualify(log)} (${quote(
        'dm_seq',
      )} bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ${columns.join(
        ', ',
      )})`,
      captureFunctionDdl(name, log, key),
      `CREATE TRIGGER ${quote(
        captureTriggerName(name.table),
      )} AFTER INSERT OR UPDATE OR DELETE ON ${qualify(
        name,
      )}\nFOR EACH ROW EXECUTE FUNCTION ${captureFunction(name)}()`,
      `CREATE TRIGGER ${quote(
        captureTriggerName(name.table, 'truncate'),
      )} BEFORE TRUNCATE ON ${qualify(
        name,
      )}\nFOR EACH STATEMENT EXECUTE FUNCTION ${captureFunction(name)}()`,
    ];
  },
  stopCapture(name, log) {
    // CASCADE takes the triggers with the function, whatever the table is called now.
    return [
      `DROP FUNCTION IF EXISTS ${captureFunction(name)}() CASCADE`,
      `DROP TABLE IF EXISTS ${qualify(log)}`,
      // After cutover the freeze went with the dropped table: its function stays.
      dropRefuseWritesIfUnused(name),
    ];
  },
};
