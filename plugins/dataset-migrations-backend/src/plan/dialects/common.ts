import { InputError } from '@backstage/errors';
import type { LogicalType } from './LogicalType';

/**
 * Quotes an identifier with `quote` after refusing what no engine round-trips safely:
 * empty or over-long names, control characters, backslashes and quote characters.
 */
export function quoteWith(
  quote: '"' | '`',
  name: string,
  maxBytes: number,
): string {
  if (name.length === 0)
    throw new InputError('An empty name cannot be used as an identifier');
  if (Buffer.byteLength(name) > maxBytes) {
    throw new InputError(
      `Identifier "${name}" is longer than ${maxBytes} bytes; rename it with a rule`,
    );
  }
  for (const char of name) {
    const code = char.codePointAt(0)!;
    if (
      code < 0x20 ||
      code === 0x7f ||
      char === '"' ||
      char === '`' ||
      char === '\\'
    ) {
      throw new InputError(
        `Identifier ${JSON.stringify(
          name,
        )} holds a quote, backslash or control character and cannot be quoted safely; rename it with a rule`,
      );
    }
  }
  return `${quote}${name}${quote}`;
}

/** SQL string literal with doubled single quotes (standard SQL; MySQL with NO_BACKSLASH_ESCAPES off needs backslashes doubled too). */
export function stringLiteral(value: string, escapeBackslash: boolean): string {
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
