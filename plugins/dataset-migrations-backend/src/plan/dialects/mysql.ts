import { NotFoundError } from '@backstage/errors';
import type {
  IndexSchema,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { allRows, firstRow } from '../../connections/rawRows';
import { boundedName } from '../sql/names';
import {
  commonLogical,
  parseDeclared,
  quoteWith,
  scaleFactor,
  stringLiteral,
} from './common';
import type { Dialect, TableName } from './Dialect';
import type { LogicalType } from './LogicalType';

const quote = (name: string) => quoteWith('`', name, 64);
const qualify = (name: TableName) =>
  name.schema
    ? `${quote(name.schema)}.${quote(name.table)}`
    : quote(name.table);
const triggerNames = (table: string) =>
  ['insert', 'update', 'delete'].map(op => ({
    op,
    name: boundedName(`dm_ro_${table}`, `_${op}`),
  }));

async function currentSchema(knex: Knex): Promise<string> {
  return String(firstRow(await knex.raw('SELECT DATABASE() AS s'))?.s);
}

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

export const mysqlDialect: Dialect = {
  engine: 'mysql',
  // Every DDL statement commits: preflight uses scratch names, cutover compensates.
  isTransactionalDdl: false,
  quote,
  qualify,
  currentSchema,

  async introspect(
    knex: Knex,
    connection: string,
    name: TableName,
  ): Promise<TableSchema> {
    const schema = name.schema ?? (await currentSchema(knex));
    const columns = allRows(
      await knex.raw(
        `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?
         ORDER BY ORDINAL_POSITION`,
        [schema, name.table],
      ),
    );
    if (columns.length === 0) {
      throw new NotFoundError(
        `Table ${schema}.${name.table} does not exist on connection ${connection}`,
      );
    }
    const keyRows = allRows(
      await knex.raw(
        `SELECT INDEX_NAME AS name, NON_UNIQUE AS nonUnique, COLUMN_NAME AS col
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?
         ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
        [schema, name.table],
      ),
    );
    let primaryKey: string[] = [];
    const byName = new Map<string, IndexSchema>();
    for (const row of keyRows) {
      if (row.col === null) continue; // functional key part
      if (row.name === 'PRIMARY') {
        primaryKey = [...primaryKey, String(row.col)];
        continue;
      }
      const index = byName.get(String(row.name)) ?? {
        name: String(row.name),
        columns: [],
        isUnique: Number(row.nonUnique) === 0,
      };
      index.columns.push(String(row.col));
      byName.set(index.name, index);
    }
    const stats = firstRow(
      await knex.raw(
        `SELECT TABLE_ROWS AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
        [schema, name.table],
      ),
    );
    let rowEstimate = Number(stats?.n ?? 0);
    if (rowEstimate < 100_000) {
      // InnoDB's estimate is rough for small tables; counting them is cheap.
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
    return {
      connection,
      engine: 'mysql',
      schema,
      table: name.table,
      columns: columns.map(c => ({
        name: String(c.name),
        type: String(c.type).toLowerCase(),
        isNullable: c.nullable === 'YES',
        // MariaDB reports a missing default as the text NULL.
        defaultValue:
          c.dflt === null || c.dflt === undefined || c.dflt === 'NULL'
            ? null
            : String(c.dflt),
      })),
      primaryKey,
      indexes: [...byName.values()].sort((a, b) =>
        a.name.localeCompare(b.name),
      ),
      rowEstimate,
    };
  },

  toLogical(declared: string): LogicalType {
    const { base, p1, p2 } = parseDeclared(declared);
    if (base === 'tinyint' && p1 === 1) return { kind: 'boolean' };
    if (base === 'datetime' || base === 'timestamp')
      return { kind: 'timestamp' };
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

  renderType(type: LogicalType): string {
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
      case 'char':
        return `CHAR(${type.length ?? 1})`;
      case 'varchar':
        return type.length ? `VARCHAR(${type.length})` : 'LONGTEXT';
      case 'date':
        return 'DATE';
      case 'timestamp':
      case 'timestamptz':
        return 'DATETIME(6)';
      case 'time':
        return 'TIME(6)';
      case 'uuid':
        return 'CHAR(36)';
      case 'binary':
        return 'LONGBLOB';
      default:
        return 'LONGTEXT';
    }
  },

  lossOf(type: LogicalType): string | undefined {
    if (type.kind === 'timestamptz') {
      return 'MySQL/MariaDB have no time-zone-aware timestamp: values are stored as UTC DATETIME(6) and lose their zone';
    }
    if (
      type.kind === 'decimal' &&
      (type.precision === undefined ||
        type.precision > 65 ||
        (type.scale ?? 0) > 30)
    ) {
      return `MySQL/MariaDB decimals hold at most 65 digits with 30 decimals: ${
        type.precision === undefined
          ? 'unbounded numeric becomes DECIMAL(65,30)'
          : 'values are rounded to fit'
      }`;
    }
    if (type.kind === 'uuid')
      return 'MySQL/MariaDB have no uuid type: stored as CHAR(36) text';
    if (type.kind === 'json')
      return 'stored as LONGTEXT: MySQL/MariaDB do not validate it as JSON';
    return undefined;
  },

  literal(value) {
    if (typeof value === 'boolean') return value ? '1' : '0';
    if (typeof value === 'number') return String(value);
    return stringLiteral(value, true);
  },

  cast(expression, type) {
    return `CAST(${expression} AS ${castTarget(type)})`;
  },

  checksum(expression, type) {
    const e = `(${expression})`;
    switch (type.kind) {
      case 'smallint':
      case 'integer':
      case 'bigint':
      case 'double':
        return `SUM(${e})`;
      case 'boolean':
        return `SUM(CASE WHEN ${e} THEN 1 ELSE 0 END)`;
      case 'decimal':
        return `SUM(ROUND(${e} * ${scaleFactor(type)}))`;
      case 'date':
        return `SUM(TO_DAYS(${e}) - 719528)`;
      case 'timestamp':
      case 'timestamptz':
        return `SUM(TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', ${e}))`;
      case 'time':
        return `SUM(FLOOR(TIME_TO_SEC(${e})))`;
      default:
        return `SUM(CONV(SUBSTR(MD5(${e}), 1, 8), 16, 10))`;
    }
  },

  createTable(name, columns, primaryKey) {
    const lines = columns.map(c => {
      // TEXT cannot be a key in MySQL: key columns without a length get VARCHAR(255).
      const type =
        primaryKey.includes(c.name) && c.type === 'LONGTEXT'
          ? 'VARCHAR(255)'
          : c.type;
      return `  ${quote(c.name)} ${type}${c.isNullable ? '' : ' NOT NULL'}${
        c.defaultValue !== null ? ` DEFAULT ${c.defaultValue}` : ''
      }`;
    });
    if (primaryKey.length)
      lines.push(`  PRIMARY KEY (${primaryKey.map(quote).join(', ')})`);
    // Binary collation: keys compare byte-wise, as on SQLite, and 'a' and 'A' stay distinct.
    return `CREATE TABLE ${qualify(name)} (\n${lines.join(
      ',\n',
    )}\n) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`;
  },
  createIndex: (name, index) =>
    `CREATE ${index.isUnique ? 'UNIQUE ' : ''}INDEX ${quote(
      index.name,
    )} ON ${qualify(name)} (${index.columns.map(quote).join(', ')})`,
  renameTable: (from, to) =>
    `RENAME TABLE ${qualify(from)} TO ${qualify({
      schema: from.schema,
      table: to,
    })}`,
  dropTableIfExists: name => `DROP TABLE IF EXISTS ${qualify(name)}`,
  createView: (name, select) => `CREATE VIEW ${qualify(name)} AS\n${select}`,
  dropViewIfExists: name => `DROP VIEW IF EXISTS ${qualify(name)}`,
  limit: count => `LIMIT ${Math.floor(count)}`,

  freezeTable(name, message) {
    const text = stringLiteral(message.slice(0, 128), true);
    return triggerNames(name.table).map(
      t =>
        `CREATE TRIGGER ${qualify({
          schema: name.schema,
          table: t.name,
        })} BEFORE ${t.op.toUpperCase()} ON ${qualify(
          name,
        )}\nFOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = ${text}`,
    );
  },
  unfreezeTable(name) {
    return triggerNames(name.table).map(
      t =>
        `DROP TRIGGER IF EXISTS ${qualify({
          schema: name.schema,
          table: t.name,
        })}`,
    );
  },
};
