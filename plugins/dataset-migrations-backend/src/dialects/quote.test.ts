import { InputError } from '@backstage/errors';
import type { Dialect } from './Dialect';
import { dialectFor, dialectForEngine } from './index';
import { mysqlDialect } from './mysql';
import { postgresDialect } from './postgres';
import { sqliteDialect } from './sqlite';

const DIALECTS: Array<[string, Dialect]> = [
  ['sqlite', sqliteDialect],
  ['postgres', postgresDialect],
  ['mysql', mysqlDialect],
];

function refusal(dialect: Dialect, name: string): InputError {
  try {
    dialect.quote(name);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error(`${dialect.engine} quoted ${JSON.stringify(name)}`);
}

describe('dialect lookup', () => {
  it('finds each dialect by client and by engine', () => {
    expect(dialectFor('better-sqlite3')).toBe(sqliteDialect);
    expect(dialectFor('pg')).toBe(postgresDialect);
    expect(dialectFor('mysql2')).toBe(mysqlDialect);
    expect(dialectForEngine('sqlite')).toBe(sqliteDialect);
    expect(dialectForEngine('postgres')).toBe(postgresDialect);
    expect(dialectForEngine('mysql')).toBe(mysqlDialect);
  });
});

describe.each(DIALECTS)('%s quote', (_engine, dialect) => {
  const q = dialect.engine === 'mysql' ? '`' : '"';

  it.each([
    'order',
    'select',
    'group',
    'user',
    'Bestellübersicht',
    '数量',
    'Menge€',
    "it's",
    'with space',
    'MixedCase',
  ])('accepts %p as is', name => {
    expect(dialect.quote(name)).toBe(`${q}${name}${q}`);
  });

  it.each([
    ['a"b', /"a\\"b".*character "/],
    ['a`b', /"a`b".*character `/],
    ['a\\b', /"a\\\\b".*character \\/],
    ['a\u0000b', /"a\\u0000b".*control character U\+0000/],
    ['tab\there', /control character U\+0009/],
    ['line\nbreak', /control character U\+000A/],
    ['del\u007f', /control character U\+007F/],
    ['c1\u0085', /control character U\+0085/],
  ])('refuses %p, naming it and why', (name, message) => {
    const error = refusal(dialect, name);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/rename it with a rule/);
  });

  it('refuses an empty name', () => {
    expect(refusal(dialect, '').message).toMatch(/empty name/);
  });

  it('qualifies a table with its schema', () => {
    expect(dialect.qualify({ table: 'order' })).toBe(`${q}order${q}`);
    expect(dialect.qualify({ schema: 'sales', table: 'order' })).toBe(
      `${q}sales${q}.${q}order${q}`,
    );
    expect(() => dialect.qualify({ schema: 'a"b', table: 'order' })).toThrow(
      InputError,
    );
  });
});

describe('identifier length limits', () => {
  it('holds PostgreSQL to 63 bytes', () => {
    expect(postgresDialect.quote('x'.repeat(63))).toBe(`"${'x'.repeat(63)}"`);
    const long = 'x'.repeat(64);
    expect(refusal(postgresDialect, long).message).toBe(
      `Identifier "${long}" is 64 bytes long, over PostgreSQL's limit of 63 bytes; rename it with a rule`,
    );
    // 32 characters, but 64 bytes in UTF-8.
    expect(refusal(postgresDialect, 'ü'.repeat(32)).message).toMatch(
      /64 bytes long, over PostgreSQL's limit of 63 bytes/,
    );
  });

  it('holds MySQL/MariaDB to 64 characters, however many bytes', () => {
    expect(mysqlDialect.quote('ü'.repeat(64))).toBe(`\`${'ü'.repeat(64)}\``);
    expect(refusal(mysqlDialect, 'x'.repeat(65)).message).toMatch(
      /65 characters long, over MySQL\/MariaDB's limit of 64 characters/,
    );
  });

  it('refuses what MySQL/MariaDB identifiers cannot hold', () => {
    expect(refusal(mysqlDialect, 'party🎉').message).toMatch(
      /"party🎉" holds 🎉, outside the Basic Multilingual Plane/,
    );
    expect(refusal(mysqlDialect, 'trailing ').message).toMatch(
      /"trailing " ends with a space/,
    );
  });

  it('holds SQLite to 255 bytes', () => {
    expect(sqliteDialect.quote('x'.repeat(255))).toBe(`"${'x'.repeat(255)}"`);
    expect(refusal(sqliteDialect, 'x'.repeat(256)).message).toMatch(
      /256 bytes long, over SQLite's limit of 255 bytes/,
    );
  });
});

describe.each(DIALECTS)('%s literals and limits', (_engine, dialect) => {
  it('escapes strings and refuses numbers without a SQL spelling', () => {
    expect(dialect.literal("it's")).toBe("'it''s'");
    expect(dialect.literal(12.5)).toBe('12.5');
    expect(dialect.literal(-3)).toBe('-3');
    expect(() => dialect.literal(NaN)).toThrow(InputError);
    expect(() => dialect.literal(Infinity)).toThrow(InputError);
    expect(dialect.literal(true)).toBe(
      dialect.engine === 'postgres' ? 'TRUE' : '1',
    );
  });

  it('renders a LIMIT clause with a whole count', () => {
    expect(dialect.limit(5000)).toBe('LIMIT 5000');
    expect(dialect.limit(2.7)).toBe('LIMIT 2');
    expect(() => dialect.limit(-1)).toThrow(InputError);
  });
});

it('writes MySQL text with a backslash as hex, whatever sql_mode says of backslashes', () => {
  expect(mysqlDialect.literal('a\\b')).toBe("_utf8mb4 X'615c62'");
  expect(mysqlDialect.literal("it's")).toBe("'it''s'");
  expect(postgresDialect.literal('a\\b')).toBe("'a\\b'");
  expect(sqliteDialect.literal('a\\b')).toBe("'a\\b'");
});
