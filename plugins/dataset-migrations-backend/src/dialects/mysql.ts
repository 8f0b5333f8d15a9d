import { InputError, NotFoundError } from '@backstage/errors';
import type {
  IndexSchema,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { runInKnexTransaction, runOneByOne } from './runStatements';
import { allRows, firstRow } from './rawRows';
import {
  boundedName,
  captureTriggers,
  freezeTriggers,
  truncateGuardKeyName,
  truncateGuardName,
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
import { withMysqlConstraints } from './mysqlConstraints';
import { mysqlChecksum } from './mysqlChecksum';
import { keyWeightedSumOf, rowChecksumOf } from './rowChecksum';
import type { LogicalType } from './LogicalType';
import type { CaptureStatements, ColumnDdlType } from './sqlPieces';
import { mysqlIncomingKeys } from './mysqlIncomingKeys';
import { mysqlColumnClauses } from './columnClauses';
import { readMysqlColumns } from './mysqlColumns';
import { mysqlRelations } from './mysqlRelations';
import { mysqlTables } from './mysqlTables';

const MAX_IDENTIFIER_CHARACTERS = 64;

function quote(name: string): string {
  // MySQL and MariaDB keep identifiers in utf8mb3 and strip a trailing space silently.
  for (const char of name) {
    if (char.codePointAt(0)! > 0xffff) {
      throw new InputError(
        `Identifier ${JSON.stringify(
          name,
        )} holds ${char}, outside the Basic Multilingual Plane, which MySQL/MariaDB identifiers cannot hold; rename it with a rule`,
      );
    }
  }
  if (name.endsWith(' ')) {
    throw new InputError(
      `Identifier ${JSON.stringify(
        name,
      )} ends with a space, which MySQL/MariaDB identifiers cannot; rename it with a rule`,
    );
  }
  return quoteWith(
    '`',
    name,
    { characters: MAX_IDENTIFIER_CHARACTERS },
    'MySQL/MariaDB',
  );
}

const qualify = (name: TableName) =>
  name.schema
    ? `${quote(name.schema)}.${quote(name.table)}`
    : quote(name.table);

/** An index name within the limit: a long one is shortened with a hash of itself. */
const indexNameFor = (name: string) =>
  [...name].length > MAX_IDENTIFIER_CHARACTERS ? boundedName(name, '') : name;

async function currentSchema(knex: Knex): Promise<string | undefined> {
  const schema = firstRow(await knex.raw('SELECT DATABASE() AS s'))?.s;
  return typeof schema === 'string' ? schema : undefined;
}

/** Column types MySQL cannot index or key without a prefix length. */
const LOB = /^(tiny|medium|long)?(text|blob)$/i;
const isBlob = (type: string) => /blob$/i.test(type);

/** The key-able spelling of a column type: a LOB key column becomes VARCHAR/VARBINARY(255). */
const keyableType = (type: string) => {
  if (!LOB.test(type.trim())) return type;
  return isBlob(type) ? 'VARBINARY(255)' : 'VARCHAR(255)';
};

// Longest VARCHAR that fits MySQL's 65,535-byte row limit in utf8mb4 (4 bytes a character).
const MAX_VARCHAR = 16383;
const MAX_CHAR = 255;

/** MySQL's CAST accepts only a few target names. */
function castTarget(type: LogicalType): string {
  switch (type.kind) {
    case 'smallint':
    case 'integer':
    case 'bigint':
    case 'boolean':
      return 'SIGNED';
    case 'decimal':
      return `DECIMAL(${type.precision ?? 65},${
        type.scale ?? (type.precision ? 0 : 30)
      })`;
    case 'double':
      return 'DOUBLE';
    case 'date':
      return 'DATE';
    case 'timestamp':
    case 'timestamptz':
      return 'DATETIME(6)';
    case 'time':
      return 'TIME(6)';
    case 'binary':
      return 'BINARY';
    default:
      return 'CHAR';
  }
}

/** Integer types one size up, for unsigned columns whose values overflow the signed type. */
function unsignedLogical(base: string): LogicalType | undefined {
  switch (base) {
    case 'tinyint':
      return { kind: 'smallint' };
    case 'smallint':
    case 'mediumint':
      return { kind: 'integer' };
    case 'int':
    case 'integer':
      return { kind: 'bigint' };
    case 'bigint':
      return { kind: 'decimal', precision: 20, scale: 0 };
    default:
      return undefined;
  }
}

/** The row triggers that append written keys to the change log. */
function captureTriggerDdl(
  name: TableName,
  log: TableName,
  key: CaptureKey[],
): CaptureStatements {
  const columns = logKeyColumns(key.length).map(quote).join(', ');
  const append = (record: 'OLD' | 'NEW') =>
    `INSERT INTO ${qualify(log)} (${columns}) VALUES (${key
      .map(k => `${record}.${quote(k.name)}`)
      .join(', ')})`;
  // <=> is NULL-safe equality: a key that did not change logs one entry, not two.
  const isKeyKept = key
    .map(k => `OLD.${quote(k.name)} <=> NEW.${quote(k.name)}`)
    .join(' AND ');
  const body: Record<'insert' | 'update' | 'delete', string> = {
    insert: append('NEW'),
    update: `BEGIN\n  ${append(
      'OLD',
    )};\n  IF NOT (${isKeyKept}) THEN\n    ${append('NEW')};\n  END IF;\nEND`,
    delete: append('OLD'),
  };
  return captureTriggers(name).map(
    t =>
      `CREATE TRIGGER ${qualify(
        t.name,
      )} AFTER ${t.op.toUpperCase()} ON ${qualify(name)}\nFOR EACH ROW ${
        body[t.op]
      }`,
  );
}

export const mysqlDialect: Dialect = {
  ...standardStatements(qualify),
  ...mysqlRelations({ currentSchema }),
  ...mysqlTables,
  engine: 'mysql',
  // Every DDL statement commits: preflight uses scratch names, cutover compensates.
  isTransactionalDdl: false,
  runStatements: runOneByOne,
  runAtomically: runInKnexTransaction,
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
        `Connection ${connection} has no default database; name the table ${name.table} as database.table`,
      );
    }
    // information_schema compares names case-insensitively, though tables `Order` and
    // `order` can both exist (lower_case_table_names=0): prefer the exact spelling, else
    // accept the only match (lower_case_table_names=1 stores `order` for `Order`).
    const tables = allRows(
      await knex.raw(
        `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS name, TABLE_ROWS AS n FROM information_schema.TABLES
         WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')`,
        [schema, name.table],
      ),
    );
    const found =
      tables.find(t => t.db === schema && t.name === name.table) ??
      (tables.length === 1 ? tables[0] : undefined);
    if (!found) {
      throw new NotFoundError(
        `Table ${schema}.${name.table} does not exist on connection ${connection}`,
      );
    }
    const db = String(found.db);
    const table = String(found.name);
    const exactly = `TABLE_SCHEMA = ? AND TABLE_NAME = ?
           AND CAST(TABLE_SCHEMA AS BINARY) = CAST(? AS BINARY) AND CAST(TABLE_NAME AS BINARY) = CAST(? AS BINARY)`;
    const version = String(
      firstRow(await knex.raw('SELECT VERSION() AS v'))?.v ?? '',
    );
    const isMariaDb = /mariadb/i.test(version);
    const columns = await readMysqlColumns(knex, db, table, isMariaDb);
    const keyRows = allRows(
      await knex.raw(
        `SELECT INDEX_NAME AS name, NON_UNIQUE AS nonUnique, COLUMN_NAME AS col
         FROM information_schema.STATISTICS WHERE ${exactly}
         ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
        [db, table, db, table],
      ),
    );
    let primaryKey: string[] = [];
    const byName = new Map<string, IndexSchema>();
    const skipped = new Set<string>();
    for (const row of keyRows) {
      const indexName = String(row.name);
      if (row.col === null) {
        skipped.add(indexName); // functional key part: not portable
        continue;
      }
      if (indexName === 'PRIMARY') {
        primaryKey = [...primaryKey, String(row.col)];
        continue;
      }
      const index = byName.get(indexName) ?? {
        name: indexName,
        columns: [],
        isUnique: Number(row.nonUnique) === 0,
      };
      index.columns.push(String(row.col));
      byName.set(index.name, index);
    }
    let rowEstimate = shapeOnly ? 0 : Number(found.n ?? 0);
    if (rowEstimate < 100_000 && !shapeOnly) {
      // InnoDB's estimate is rough for small tables; counting them is cheap.
      rowEstimate = Number(
        firstRow(
          await knex.raw(
            `SELECT COUNT(*) AS n FROM ${qualify({ schema: db, table })}`,
          ),
        )?.n ?? 0,
      );
    }
    return withMysqlConstraints(knex, isMariaDb, {
      connection,
      engine: 'mysql',
      schema: db,
      table,
      columns,
      primaryKey,
      indexes: [...byName.values()]
        .filter(index => !skipped.has(index.name))
        .sort((a, b) => a.name.localeCompare(b.name)),
      rowEstimate,
      referencedBy: shapeOnly ? [] : await mysqlIncomingKeys(knex, db, table),
    });
  },

  toLogical(declared: string): LogicalType {
    const { base, p1, p2 } = parseDeclared(declared);
    if (base === 'tinyint' && p1 === 1) return { kind: 'boolean' };
    if (/\bunsigned\b/i.test(declared)) {
      const wider = unsignedLogical(base);
      if (wider) return wider;
    }
    if (base === 'year') return { kind: 'smallint' };
    // Display widths (int(11)) are not lengths.
    const logical = commonLogical(
      base,
      ['int', 'integer', 'bigint', 'smallint', 'tinyint', 'mediumint'].includes(
        base,
      )
        ? undefined
        : p1,
      p2,
    );
    return logical ?? { kind: 'text' };
  },

  renderType(type: LogicalType): ColumnDdlType {
    switch (type.kind) {
      case 'smallint':
        return 'SMALLINT';
      case 'integer':
        return 'INT';
      case 'bigint':
        return 'BIGINT';
      case 'decimal':
        return type.precision !== undefined
          ? `DECIMAL(${Math.min(type.precision, 65)},${Math.min(
              type.scale ?? 0,
              30,
            )})`
          : 'DECIMAL(65,30)';
      case 'double':
        return 'DOUBLE';
      case 'boolean':
        return 'TINYINT(1)';
      case 'char': {
        const length = type.length ?? 1;
        return length <= MAX_CHAR ? `CHAR(${length})` : `VARCHAR(${length})`;
      }
      case 'varchar':
        // Without a length (or beyond the row limit) a varchar is text. createTable
        // turns a LONGTEXT key column into VARCHAR(255); createIndex uses a prefix.
        return type.length && type.length <= MAX_VARCHAR
          ? `VARCHAR(${type.length})`
          : 'LONGTEXT';
      case 'date':
        return 'DATE';
      case 'timestamp':
      case 'timestamptz':
        // Microseconds, like PostgreSQL's timestamp; DATETIME alone would round them away.
        return 'DATETIME(6)';
      case 'time':
        return 'TIME(6)';
      case 'uuid':
        return 'CHAR(36)';
      case 'binary':
        return 'LONGBLOB';
      default:
        // text, and json: MySQL's JSON type reformats documents (MariaDB's is LONGTEXT).
        return 'LONGTEXT';
    }
  },

  lossOf(type: LogicalType): string | undefined {
    switch (type.kind) {
      case 'timestamptz':
        return 'MySQL/MariaDB have no time-zone-aware timestamp: values are stored as UTC DATETIME(6) and lose their zone';
      case 'decimal':
        if (
          type.precision === undefined ||
          type.precision > 65 ||
          (type.scale ?? 0) > 30
        ) {
          return `MySQL/MariaDB decimals hold at most 65 digits with 30 decimals: ${
            type.precision === undefined
              ? 'unbounded numeric becomes DECIMAL(65,30)'
              : 'values are rounded to fit'
          }`;
        }
        return undefined;
      case 'uuid':
        return 'MySQL/MariaDB have no uuid type: stored as CHAR(36) text';
      case 'json':
        return 'stored as LONGTEXT: MySQL/MariaDB do not validate it as JSON';
      case 'char':
        return (type.length ?? 1) > MAX_CHAR
          ? `MySQL/MariaDB CHAR holds at most ${MAX_CHAR} characters: char(${type.length}) is stored as VARCHAR(${type.length}) without padding`
          : undefined;
      case 'varchar':
        return type.length && type.length > MAX_VARCHAR
          ? `MySQL/MariaDB rows hold at most 65,535 bytes: varchar(${type.length}) is stored as LONGTEXT`
          : undefined;
      default:
        return undefined;
    }
  },

  literal(value) {
    if (typeof value === 'boolean') return value ? '1' : '0';
    if (typeof value === 'number') return numberLiteral(value);
    // A backslash escapes in '…' unless sql_mode has NO_BACKSLASH_ESCAPES, which a
    // server may set: such text goes as hex, read the same in every mode.
    if (value.includes('\\'))
      return `_utf8mb4 X'${Buffer.from(value, 'utf8').toString('hex')}'`;
    return stringLiteral(value, false);
  },

  cast(expression, type) {
    return `CAST(${expression} AS ${castTarget(type)})`;
  },

  checksum(expression, type, options) {
    return `SUM(${mysqlChecksum.term(expression, type, options)})`;
  },
  keyWeightedSum: (expression, key, options) =>
    keyWeightedSumOf(mysqlChecksum, expression, key, options),
  rowChecksum: (parts, options) => rowChecksumOf(mysqlChecksum, parts, options),

  createTable(name, columns, primaryKey) {
    const prepared = columns.map(c => {
      // TEXT and BLOB cannot be a key without a prefix: key columns get a VARCHAR/VARBINARY.
      const type = primaryKey.includes(c.name) ? keyableType(c.type) : c.type;
      // MySQL 8 takes a TEXT/BLOB default only as an expression: (literal).
      const isLob = c.defaultValue !== null && LOB.test(type.trim());
      return {
        ...c,
        type,
        defaultValue: isLob ? `(${c.defaultValue})` : c.defaultValue,
      };
    });
    // Binary collation: keys compare byte-wise, as on SQLite, and 'a' and 'A' stay distinct.
    return createTableStatement(
      quote,
      qualify(name),
      prepared,
      primaryKey,
      ' DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
      mysqlColumnClauses,
    );
  },
  createIndex(name, index, columnTypes) {
    const columns = index.columns.map(column => {
      const type = columnTypes?.[column]?.trim() ?? '';
      // A plain index on TEXT/BLOB needs a prefix; a unique one stays whole, which
      // MariaDB enforces with a hash (MySQL refuses it: key such columns as VARCHAR).
      return LOB.test(type) && !index.isUnique
        ? `${quote(column)}(255)`
        : quote(column);
    });
    return `CREATE ${index.isUnique ? 'UNIQUE ' : ''}INDEX ${quote(
      indexNameFor(index.name),
    )} ON ${qualify(name)} (${columns.join(', ')})`;
  },
  renameTable: (from, to) =>
    `RENAME TABLE ${qualify(from)} TO ${qualify({
      schema: from.schema,
      table: to,
    })}`,

  freezeTable(name, message, kind) {
    const text = stringLiteral(message.slice(0, 128), true);
    return freezeTriggers(name.table, kind).map(
      t =>
        `CREATE TRIGGER ${qualify({
          schema: name.schema,
          table: t.name,
        })} BEFORE ${t.op.toUpperCase()} ON ${qualify(
          name,
        )}\nFOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = ${text}`,
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
  guardTable(name, key) {
    const columns = key.map(quote).join(', ');
    const guard = { schema: name.schema, table: truncateGuardName(name.table) };
    // CREATE … SELECT copies the key's exact types, character set and collation,
    // which a foreign key needs; WHERE 1 = 0 copies no row.
    return [
      `CREATE TABLE IF NOT EXISTS ${qualify(guard)} (CONSTRAINT ${quote(
        truncateGuardKeyName(name.table),
      )} FOREIGN KEY (${columns}) REFERENCES ${qualify(
        name,
      )} (${columns})) ENGINE=InnoDB AS SELECT ${columns} FROM ${qualify(
        name,
      )} WHERE 1 = 0`,
    ];
  },
  unguardTable(name) {
    return [
      `DROP TABLE IF EXISTS ${qualify({
        schema: name.schema,
        table: truncateGuardName(name.table),
      })}`,
    ];
  },
  captureChanges(name, log, key) {
    const columns = logKeyColumns(key.length).map(
      (c, i) =>
        `${quote(c)} ${logColumnType(
          key[i].declaredType,
          'MySQL/MariaDB',
        )} NULL`,
    );
    return [
      `CREATE TABLE ${qualify(log)} (${quote(
        'dm_seq',
      )} bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, ${columns.join(', ')})`,
      ...captureTriggerDdl(name, log, key),
    ];
  },
  stopCapture(name, log) {
    // Trigger names live in the database, not the table: they drop wherever it is.
    return [
      ...captureTriggers(name).map(
        t => `DROP TRIGGER IF EXISTS ${qualify(t.name)}`,
      ),
      `DROP TABLE IF EXISTS ${qualify(log)}`,
    ];
  },
};
