import { InputError } from '@backstage/errors';
import type { ColumnClauses, TableColumn } from './columnClauses';
import type { Dialect, TableName } from './Dialect';
import type { LogicalType } from './LogicalType';
import type {
  ColumnDdlType,
  CreateTableStatement,
  QualifiedTableName,
  QuotedIdentifier,
  SqlLiteral,
} from './sqlPieces';

/**
 * Quotes an identifier with `quote` after refusing what no engine round-trips safely:
 * empty or over-long names (`limit` in UTF-8 bytes, or in characters for engines that
 * count characters), control characters, backslashes and quote characters. Doubling an
 * embedded quote would be valid SQL, but such names break every tool downstream.
 */
export function quoteWith(
  quote: '"' | '`',
  name: string,
  limit: { bytes: number } | { characters: number },
  engine: string,
): QuotedIdentifier {
  const shown = JSON.stringify(name);
  if (name.length === 0)
    throw new InputError(
      `An empty name cannot be used as a ${engine} identifier`,
    );
  if ('bytes' in limit && Buffer.byteLength(name) > limit.bytes) {
    throw new InputError(
      `Identifier ${shown} is ${Buffer.byteLength(
        name,
      )} bytes long, over ${engine}'s limit of ${
        limit.bytes
      } bytes; rename it with a rule`,
    );
  }
  if ('characters' in limit && [...name].length > limit.characters) {
    throw new InputError(
      `Identifier ${shown} is ${
        [...name].length
      } characters long, over ${engine}'s limit of ${
        limit.characters
      } characters; rename it with a rule`,
    );
  }
  for (const char of name) {
    const code = char.codePointAt(0)!;
    // C0 and C1 control characters, DEL and NUL.
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
      throw new InputError(
        `Identifier ${shown} holds the control character U+${code
          .toString(16)
          .toUpperCase()
          .padStart(
            4,
            '0',
          )} and cannot be quoted safely; rename it with a rule`,
      );
    }
    if (char === '"' || char === '`' || char === '\\') {
      throw new InputError(
        `Identifier ${shown} holds the character ${char}, which cannot be quoted safely on ${engine}; rename it with a rule`,
      );
    }
  }
  return `${quote}${name}${quote}`;
}

/** A number as a SQL literal; NaN and infinities have no portable spelling. */
export function numberLiteral(value: number): SqlLiteral {
  if (!Number.isFinite(value)) {
    throw new InputError(
      `${value} cannot be written as a SQL literal; use a finite number`,
    );
  }
  return String(value);
}

/** A LIMIT count: a non-negative integer, whatever the caller computed. */
export function limitCount(count: number): number {
  if (!Number.isFinite(count) || count < 0) {
    throw new InputError(`LIMIT needs a non-negative count, not ${count}`);
  }
  return Math.floor(count);
}

/** SQL string literal with doubled single quotes (standard SQL; MySQL with NO_BACKSLASH_ESCAPES off needs backslashes doubled too). */
export function stringLiteral(
  value: string,
  escapeBackslash: boolean,
): SqlLiteral {
  const escaped = value.replace(/'/g, "''");
  return `'${escapeBackslash ? escaped.replace(/\\/g, '\\\\') : escaped}'`;
}

const TYPE =
  /^\s*([a-z_][a-z0-9_ ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*(unsigned)?\s*$/i;

/** Splits `numeric(12, 2)` into base `numeric` and its parameters. */
export function parseDeclared(declared: string): {
  base: string;
  p1?: number;
  p2?: number;
} {
  const m = TYPE.exec(declared);
  if (!m) return { base: declared.trim().toLowerCase() };
  return {
    base: m[1].trim().toLowerCase().replace(/\s+/g, ' '),
    p1: m[2] !== undefined ? Number(m[2]) : undefined,
    p2: m[3] !== undefined ? Number(m[3]) : undefined,
  };
}

/** Type names shared by the three engines' spellings. */
export function commonLogical(
  base: string,
  p1?: number,
  p2?: number,
): LogicalType | undefined {
  switch (base) {
    case 'smallint':
    case 'int2':
    case 'tinyint':
      return { kind: 'smallint' };
    case 'int':
    case 'integer':
    case 'int4':
    case 'mediumint':
    case 'serial':
      return { kind: 'integer' };
    case 'bigint':
    case 'int8':
    case 'bigserial':
      return { kind: 'bigint' };
    case 'numeric':
    case 'decimal':
    case 'dec':
      return {
        kind: 'decimal',
        precision: p1,
        scale: p1 !== undefined ? p2 ?? 0 : undefined,
      };
    case 'real':
    case 'float':
    case 'float4':
    case 'float8':
    case 'double':
    case 'double precision':
      return { kind: 'double' };
    case 'boolean':
    case 'bool':
      return { kind: 'boolean' };
    case 'char':
    case 'character':
    case 'nchar':
      return { kind: 'char', length: p1 ?? 1 };
    case 'varchar':
    case 'character varying':
    case 'nvarchar':
    case 'varying character':
      return p1 !== undefined
        ? { kind: 'varchar', length: p1 }
        : { kind: 'text' };
    case 'text':
    case 'tinytext':
    case 'mediumtext':
    case 'longtext':
    case 'clob':
    case 'string':
      return { kind: 'text' };
    case 'date':
      return { kind: 'date' };
    case 'datetime':
    case 'timestamp':
    case 'timestamp without time zone':
      return { kind: 'timestamp' };
    case 'timestamptz':
    case 'timestamp with time zone':
      return { kind: 'timestamptz' };
    case 'time':
    case 'time without time zone':
      return { kind: 'time' };
    case 'json':
    case 'jsonb':
      return { kind: 'json' };
    case 'uuid':
      return { kind: 'uuid' };
    case 'blob':
    case 'bytea':
    case 'binary':
    case 'varbinary':
    case 'tinyblob':
    case 'mediumblob':
    case 'longblob':
      return { kind: 'binary' };
    default:
      return undefined;
  }
}

/** The decimal scale multiplier `10^s` as a literal. */
export const scaleFactor = (type: LogicalType) =>
  `1${'0'.repeat(type.scale ?? 0)}`;

/** `CREATE TABLE` with columns, NOT NULL, defaults and the primary key; `suffix` for table options. */
export function createTableStatement(
  quote: (name: string) => QuotedIdentifier,
  qualifiedName: QualifiedTableName,
  columns: TableColumn[],
  primaryKey: string[],
  suffix = '',
  clauses: (column: TableColumn) => ColumnClauses = () => ({
    collate: '',
    suffix: '',
  }),
): CreateTableStatement {
  let isPrimaryKeyInline = false;
  const lines = columns.map(c => {
    const extra = clauses(c);
    isPrimaryKeyInline ||= extra.isPrimaryKeyInline === true;
    return `  ${quote(c.name)} ${c.type}${extra.collate}${
      c.isNullable ? '' : ' NOT NULL'
    }${c.defaultValue !== null ? ` DEFAULT ${c.defaultValue}` : ''}${
      extra.suffix
    }`;
  });
  if (primaryKey.length && !isPrimaryKeyInline)
    lines.push(`  PRIMARY KEY (${primaryKey.map(quote).join(', ')})`);
  return `CREATE TABLE ${qualifiedName} (\n${lines.join(',\n')}\n)${suffix}`;
}

/**
 * A declared column type (as introspection reported it) for a column of the change
 * log, refused when it could end the statement it is written into.
 */
export function logColumnType(
  declaredType: string,
  engineLabel: string,
): ColumnDdlType {
  if (/;|--|\/\*|\$/.test(declaredType)) {
    throw new InputError(
      `The ${engineLabel} type ${JSON.stringify(
        declaredType,
      )} of a copy-key column cannot be written into the change log's DDL; key the copy on a column of a plain type`,
    );
  }
  return declaredType;
}

/** `dm_k0`, `dm_k1`, ...: the change log's key columns, in key order. */
export const logKeyColumns = (count: number) =>
  Array.from({ length: count }, (_, i) => `dm_k${i}`);

/**
 * The standard-SQL statements every engine here spells alike. A dialect spreads them
 * first and overrides what its engine spells otherwise, as knex's dialects extend a
 * common client.
 */
export function standardStatements(
  qualify: (name: TableName) => QualifiedTableName,
): Pick<
  Dialect,
  'dropTableIfExists' | 'createView' | 'dropViewIfExists' | 'limit'
> {
  return {
    dropTableIfExists: name => `DROP TABLE IF EXISTS ${qualify(name)}`,
    createView: (name, select) => `CREATE VIEW ${qualify(name)} AS\n${select}`,
    dropViewIfExists: name => `DROP VIEW IF EXISTS ${qualify(name)}`,
    limit: count => `LIMIT ${limitCount(count)}`,
  };
}
