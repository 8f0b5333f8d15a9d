import { NotFoundError } from '@backstage/errors';
import type {
  IndexSchema,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { allRows } from '../../connections/rawRows';
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
import { md5First32 } from './md5_32';

const quote = (name: string) => quoteWith('"', name, 255);
const qualify = (name: TableName) =>
  name.schema
    ? `${quote(name.schema)}.${quote(name.table)}`
    : quote(name.table);
const triggerNames = (table: string) =>
  ['insert', 'update', 'delete'].map(op => ({
    op,
    name: boundedName(`dm_ro_${table}`, `_${op}`),
  }));

/** SQLite's type affinity rules, for declared types that are not standard names. */
function byAffinity(declared: string): LogicalType {
  const t = declared.toLowerCase();
  if (t.includes('int')) return { kind: 'bigint' };
  if (/char|clob|text/.test(t)) return { kind: 'text' };
  if (t.includes('blob') || t === '') return { kind: 'binary' };
  if (/real|floa|doub/.test(t)) return { kind: 'double' };
  return { kind: 'text' };
}

export const sqliteDialect: Dialect = {
  engine: 'sqlite',
  isTransactionalDdl: true,
  quote,
  qualify,

  async currentSchema() {
    return undefined;
  },

  async introspect(
    knex: Knex,
    connection: string,
    name: TableName,
  ): Promise<TableSchema> {
    const exists = allRows(
      await knex.raw(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?`,
        [name.table],
      ),
    );
    if (exists.length === 0) {
      throw new NotFoundError(
        `Table ${name.table} does not exist on connection ${connection}`,
      );
    }
    const columns = allRows(
      await knex.raw(
        `SELECT name, type, "notnull" AS is_notnull, dflt_value AS dflt, pk FROM pragma_table_info(?) ORDER BY cid`,
        [name.table],
      ),
    );
    const primaryKey = columns
      .filter(c => Number(c.pk) > 0)
      .sort((a, b) => Number(a.pk) - Number(b.pk))
      .map(c => String(c.name));
    const indexes: IndexSchema[] = [];
    const list = allRows(
      await knex.raw(
        `SELECT name, "unique" AS uniq, origin, partial FROM pragma_index_list(?)`,
        [name.table],
      ),
    );
    for (const index of list) {
      if (index.origin === 'pk' || Number(index.partial) === 1) continue;
      const cols = allRows(
        await knex.raw(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`, [
          String(index.name),
        ]),
      );
      if (cols.some(c => c.name === null)) continue; // expression index
      indexes.push({
        name: String(index.name),
        columns: cols.map(c => String(c.name)),
        isUnique: Number(index.uniq) === 1,
      });
    }
    const [count] = allRows(
      await knex.raw(`SELECT COUNT(*) AS n FROM ${qualify(name)}`),
    );
    return {
      connection,
      engine: 'sqlite',
      table: name.table,
      columns: columns.map(c => ({
        name: String(c.name),
        type: String(c.type ?? '').toLowerCase(),
        // An INTEGER PRIMARY KEY is the rowid: never NULL, though not declared NOT NULL.
        isNullable: Number(c.is_notnull) === 0 && Number(c.pk) === 0,
        defaultValue:
          c.dflt === null || c.dflt === undefined ? null : String(c.dflt),
      })),
      primaryKey,
      indexes: indexes.sort((a, b) => a.name.localeCompare(b.name)),
      rowEstimate: Number(count?.n ?? 0),
    };
  },

  toLogical(declared: string): LogicalType {
    const { base, p1, p2 } = parseDeclared(declared);
    // SQLite integers are 64-bit whatever the declared name says.
    if (['int', 'integer', 'mediumint', 'int4', 'serial'].includes(base))
      return { kind: 'bigint' };
    return commonLogical(base, p1, p2) ?? byAffinity(declared);
  },

  renderType(type: LogicalType): string {
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
        // json and uuid too: a declared JSON would get NUMERIC affinity and rewrite '123'.
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
      } values with a fraction as binary floating point: exact only to about 15 significant digits`;
    }
    if (type.kind === 'timestamptz') {
      return 'SQLite has no time-zone-aware timestamp: values are stored as UTC text';
    }
    return undefined;
  },

  literal(value) {
    if (typeof value === 'boolean') return value ? '1' : '0';
    if (typeof value === 'number') return String(value);
    return stringLiteral(value, false);
  },

  cast(expression, type) {
    return `CAST(${expression} AS ${this.renderType(type)})`;
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
        return `SUM(CAST(ROUND(julianday(${e}) - 2440587.5) AS INTEGER))`;
      case 'timestamp':
      case 'timestamptz':
        return `SUM(CAST(strftime('%s', ${e}) AS INTEGER))`;
      case 'time':
        return `SUM(CAST(strftime('%s', '1970-01-01 ' || ${e}) AS INTEGER))`;
      default:
        return `SUM(dm_md5_32(${e}))`;
    }
  },

  prepareConnection(raw: unknown) {
    const db = raw as {
      function(
        name: string,
        options: object,
        fn: (v: unknown) => unknown,
      ): void;
    };
    db.function('dm_md5_32', { deterministic: true }, md5First32);
  },

  createTable(name, columns, primaryKey) {
    const lines = columns.map(
      c =>
        `  ${quote(c.name)} ${c.type}${c.isNullable ? '' : ' NOT NULL'}${
          c.defaultValue !== null ? ` DEFAULT ${c.defaultValue}` : ''
        }`,
    );
    if (primaryKey.length)
      lines.push(`  PRIMARY KEY (${primaryKey.map(quote).join(', ')})`);
    return `CREATE TABLE ${qualify(name)} (\n${lines.join(',\n')}\n)`;
  },
  createIndex(name, index) {
    const indexName = name.schema
      ? `${quote(name.schema)}.${quote(index.name)}`
      : quote(index.name);
    return `CREATE ${
      index.isUnique ? 'UNIQUE ' : ''
    }INDEX ${indexName} ON ${quote(name.table)} (${index.columns
      .map(quote)
      .join(', ')})`;
  },
  renameTable: (from, to) =>
    `ALTER TABLE ${qualify(from)} RENAME TO ${quote(to)}`,
  dropTableIfExists: name => `DROP TABLE IF EXISTS ${qualify(name)}`,
  createView: (name, select) => `CREATE VIEW ${qualify(name)} AS\n${select}`,
  dropViewIfExists: name => `DROP VIEW IF EXISTS ${qualify(name)}`,
  limit: count => `LIMIT ${Math.floor(count)}`,

  freezeTable(name, message) {
    return triggerNames(name.table).map(
      t =>
        `CREATE TRIGGER ${quote(
          t.name,
        )} BEFORE ${t.op.toUpperCase()} ON ${quote(
          name.table,
        )}\nBEGIN SELECT RAISE(ABORT, ${stringLiteral(message, false)}); END`,
    );
  },
  unfreezeTable(name) {
    return triggerNames(name.table).map(
      t => `DROP TRIGGER IF EXISTS ${quote(t.name)}`,
    );
  },
};
