import type { Dialect } from './Dialect';
import { isNarrowing, LogicalKind, LogicalType } from './LogicalType';
import { mysqlDialect } from './mysql';
import { postgresDialect } from './postgres';
import { sqliteDialect } from './sqlite';
import {
  ALL_KINDS,
  EDGE_TYPES,
  expectedRoundTrip,
} from '../__testUtils__/logicalTypes';

const DIALECTS: Array<[string, Dialect]> = [
  ['sqlite', sqliteDialect],
  ['postgres', postgresDialect],
  ['mysql', mysqlDialect],
];

const T = (
  kind: LogicalKind,
  extra: Omit<LogicalType, 'kind'> = {},
): LogicalType => ({ kind, ...extra });

describe.each(DIALECTS)('%s type mapping', (_engine, dialect) => {
  it('covers every logical kind', () => {
    expect(new Set(ALL_KINDS.map(t => t.kind)).size).toBe(16);
  });

  it.each(
    [...ALL_KINDS, ...EDGE_TYPES].map(t => [JSON.stringify(t), t] as const),
  )(
    'toLogical(renderType(%s)) round-trips, or lossOf says why not',
    (_label, type) => {
      const back = dialect.toLogical(dialect.renderType(type));
      const expected = expectedRoundTrip(dialect.engine, type);
      expect(back).toEqual(expected.type);
      expect(dialect.lossOf(type) !== undefined).toBe(expected.isLossy);
      // A type that comes back changed without a named loss is only ever wider.
      expect(!expected.isLossy && isNarrowing(type, back)).toBe(false);
    },
  );
});

describe('declared types of each engine', () => {
  const COMMON: Array<[string, LogicalType]> = [
    ['bigint', T('bigint')],
    ['smallint', T('smallint')],
    ['numeric(12,2)', T('decimal', { precision: 12, scale: 2 })],
    ['decimal(12, 2)', T('decimal', { precision: 12, scale: 2 })],
    ['numeric(10)', T('decimal', { precision: 10, scale: 0 })],
    ['real', T('double')],
    ['float', T('double')],
    ['double', T('double')],
    ['double precision', T('double')],
    ['boolean', T('boolean')],
    ['bool', T('boolean')],
    ['char(2)', T('char', { length: 2 })],
    ['character(2)', T('char', { length: 2 })],
    ['varchar(40)', T('varchar', { length: 40 })],
    ['character varying(40)', T('varchar', { length: 40 })],
    ['nvarchar(40)', T('varchar', { length: 40 })],
    ['varchar', T('text')],
    ['text', T('text')],
    ['longtext', T('text')],
    ['mediumtext', T('text')],
    ['clob', T('text')],
    ['date', T('date')],
    ['datetime', T('timestamp')],
    ['timestamp', T('timestamp')],
    ['timestamp without time zone', T('timestamp')],
    ['timestamp with time zone', T('timestamptz')],
    ['timestamptz', T('timestamptz')],
    ['time', T('time')],
    ['json', T('json')],
    ['jsonb', T('json')],
    ['uuid', T('uuid')],
    ['blob', T('binary')],
    ['bytea', T('binary')],
    ['binary(16)', T('binary')],
    ['varbinary(16)', T('binary')],
    ['something unheard of', T('text')],
  ];

  it.each(COMMON)('all engines read %p', (declared, expected) => {
    for (const [, dialect] of DIALECTS) {
      expect([dialect.engine, dialect.toLogical(declared)]).toEqual([
        dialect.engine,
        expected,
      ]);
      expect([
        dialect.engine,
        dialect.toLogical(declared.toUpperCase()),
      ]).toEqual([dialect.engine, expected]);
    }
  });

  it.each<[string, LogicalType]>([
    ['integer', T('integer')],
    ['int4', T('integer')],
    ['int8', T('bigint')],
    ['int2', T('smallint')],
    ['serial', T('integer')],
    ['bigserial', T('bigint')],
    ['float8', T('double')],
    ['float4', T('double')],
    ['numeric', T('decimal')],
    ['character varying', T('text')],
    ['bpchar', T('char', { length: 1 })],
    ['timestamp(3) with time zone', T('timestamptz')],
    ['timestamp(6) without time zone', T('timestamp')],
    ['time(6) without time zone', T('time')],
    ['integer[]', T('text')],
    ['interval', T('text')],
  ])('postgres reads %p', (declared, expected) => {
    expect(postgresDialect.toLogical(declared)).toEqual(expected);
  });

  it.each<[string, LogicalType]>([
    ['tinyint(1)', T('boolean')],
    ['tinyint(4)', T('smallint')],
    ['tinyint unsigned', T('smallint')],
    ['smallint(6)', T('smallint')],
    ['mediumint(9)', T('integer')],
    ['int(11)', T('integer')],
    ['int', T('integer')],
    ['int(10) unsigned', T('bigint')],
    ['bigint(20)', T('bigint')],
    ['bigint(20) unsigned', T('decimal', { precision: 20, scale: 0 })],
    ['decimal(65,30)', T('decimal', { precision: 65, scale: 30 })],
    ['double(10,2)', T('double')],
    ['datetime(6)', T('timestamp')],
    ['timestamp(3)', T('timestamp')],
    ['time(6)', T('time')],
    ['year(4)', T('smallint')],
    ["enum('a','b')", T('text')],
    ['longblob', T('binary')],
  ])('mysql reads %p', (declared, expected) => {
    expect(mysqlDialect.toLogical(declared)).toEqual(expected);
  });

  it.each<[string, LogicalType]>([
    // Every SQLite integer is 64-bit: INTEGER (the rowid's type) must not narrow.
    ['INTEGER', T('bigint')],
    ['INT', T('bigint')],
    ['SMALLINT', T('smallint')],
    ['UNSIGNED BIG INT', T('bigint')],
    ['NUMERIC(12,2)', T('decimal', { precision: 12, scale: 2 })],
    ['NUMERIC', T('decimal')],
    ['DATETIME', T('timestamp')],
    ['BOOLEAN', T('boolean')],
    ['VARCHAR(40)', T('varchar', { length: 40 })],
    ['NATIVE CHARACTER(70)', T('text')],
    ['STRING', T('text')],
    ['', T('text')],
    ['BLOB', T('binary')],
    ['DOUBLE PRECISION', T('double')],
  ])('sqlite reads %p', (declared, expected) => {
    expect(sqliteDialect.toLogical(declared)).toEqual(expected);
  });
});

describe('renderType', () => {
  it.each<[LogicalType, string, string, string]>([
    [T('smallint'), 'SMALLINT', 'smallint', 'SMALLINT'],
    [T('integer'), 'INTEGER', 'integer', 'INT'],
    [T('bigint'), 'INTEGER', 'bigint', 'BIGINT'],
    [
      T('decimal', { precision: 12, scale: 2 }),
      'NUMERIC(12,2)',
      'numeric(12,2)',
      'DECIMAL(12,2)',
    ],
    [T('decimal'), 'NUMERIC', 'numeric', 'DECIMAL(65,30)'],
    [T('double'), 'REAL', 'double precision', 'DOUBLE'],
    [T('boolean'), 'BOOLEAN', 'boolean', 'TINYINT(1)'],
    [T('char', { length: 2 }), 'CHAR(2)', 'char(2)', 'CHAR(2)'],
    [T('char', { length: 300 }), 'CHAR(300)', 'char(300)', 'VARCHAR(300)'],
    [T('varchar', { length: 40 }), 'VARCHAR(40)', 'varchar(40)', 'VARCHAR(40)'],
    [T('varchar'), 'TEXT', 'text', 'LONGTEXT'],
    [
      T('varchar', { length: 20000 }),
      'VARCHAR(20000)',
      'varchar(20000)',
      'LONGTEXT',
    ],
    [T('text'), 'TEXT', 'text', 'LONGTEXT'],
    [T('date'), 'DATE', 'date', 'DATE'],
    [T('timestamp'), 'DATETIME', 'timestamp', 'DATETIME(6)'],
    [T('timestamptz'), 'DATETIME', 'timestamptz', 'DATETIME(6)'],
    [T('time'), 'TIME', 'time', 'TIME(6)'],
    // PostgreSQL json, not jsonb: jsonb would reformat the text and break checksums.
    [T('json'), 'TEXT', 'json', 'LONGTEXT'],
    [T('uuid'), 'TEXT', 'uuid', 'CHAR(36)'],
    [T('binary'), 'BLOB', 'bytea', 'LONGBLOB'],
  ])('%p is %p, %p, %p', (type, sqlite, postgres, mysql) => {
    expect(sqliteDialect.renderType(type)).toBe(sqlite);
    expect(postgresDialect.renderType(type)).toBe(postgres);
    expect(mysqlDialect.renderType(type)).toBe(mysql);
  });
});

describe('lossOf', () => {
  const exactEverywhere: LogicalType[] = [
    T('smallint'),
    T('integer'),
    T('bigint'),
    T('decimal', { precision: 12, scale: 2 }),
    T('varchar', { length: 40 }),
    T('char', { length: 2 }),
    T('text'),
    T('binary'),
    T('double'),
  ];

  it.each(exactEverywhere.map(t => [JSON.stringify(t), t] as const))(
    '%s is exact on every engine',
    (_label, type) => {
      for (const [, dialect] of DIALECTS) {
        expect([dialect.engine, dialect.lossOf(type)]).toEqual([
          dialect.engine,
          undefined,
        ]);
      }
    },
  );

  it('PostgreSQL holds every logical type exactly', () => {
    for (const type of ALL_KINDS) {
      expect(postgresDialect.lossOf(type)).toBeUndefined();
    }
    expect(postgresDialect.lossOf(T('decimal'))).toBeUndefined();
  });

  it.each<[LogicalType, RegExp]>([
    [
      T('decimal', { precision: 20, scale: 2 }),
      /binary floating point \(REAL\): exact only to about 15 significant digits/,
    ],
    [T('decimal'), /binary floating point/],
    [T('boolean'), /no boolean type: values are stored as integers 0\/1/],
    [T('date'), /no date type: values are stored as ISO-8601 text/],
    [T('timestamp'), /no timestamp type/],
    [T('timestamptz'), /no time-zone-aware timestamp/],
    [T('time'), /no time type/],
    [T('json'), /no json type/],
    [T('uuid'), /no uuid type/],
  ])('SQLite names the loss of %p', (type, message) => {
    expect(sqliteDialect.lossOf(type)).toMatch(message);
  });

  it.each<[LogicalType, RegExp]>([
    [
      T('timestamptz'),
      /no time-zone-aware timestamp: values are stored as UTC/,
    ],
    [T('uuid'), /no uuid type: stored as CHAR\(36\)/],
    [T('json'), /LONGTEXT: MySQL\/MariaDB do not validate it as JSON/],
    [T('decimal'), /unbounded numeric becomes DECIMAL\(65,30\)/],
    [T('decimal', { precision: 70, scale: 2 }), /at most 65 digits/],
    [T('decimal', { precision: 40, scale: 35 }), /with 30 decimals/],
    [T('char', { length: 300 }), /CHAR holds at most 255 characters/],
    [T('varchar', { length: 20000 }), /stored as LONGTEXT/],
  ])('MySQL/MariaDB name the loss of %p', (type, message) => {
    expect(mysqlDialect.lossOf(type)).toMatch(message);
  });

  it('MySQL/MariaDB hold the other types exactly', () => {
    for (const kind of ['boolean', 'date', 'timestamp', 'time'] as const) {
      expect(mysqlDialect.lossOf(T(kind))).toBeUndefined();
    }
  });
});
