import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { firstRow } from './rawRows';
import { valueConverter } from '../copy/convertValue';
import { testConnections } from '../__testUtils__/testConnections';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import type { LogicalType } from './LogicalType';
import { md5First32 } from './md5_32';

jest.setTimeout(60_000);

type Column = {
  name: string;
  type: LogicalType;
  values: unknown[];
  /** What one value adds to the checksum, computed here in JavaScript. */
  expected: (value: any) => number;
};

const ROWS = 8;

const DAY_MS = 86_400_000;
const utcMs = (text: string) => {
  // 'YYYY-MM-DD[ HH:MM:SS[.fff]][+hh:mm]' as an instant, UTC unless an offset is given.
  const iso = text.replace(' ', 'T');
  return Date.parse(/[+-]\d{2}:\d{2}$|Z$/.test(iso) ? iso : `${iso}Z`);
};
/** Exact cents of a decimal text, without going through binary floating point. */
const scaled = (text: string, scale: number) => {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const units =
    Number(whole) * 10 ** scale + Number(fraction.padEnd(scale, '0'));
  return negative ? -units : units;
};
const hash = (value: string | Buffer) => md5First32(value)!;

const COLUMNS: Column[] = [
  {
    name: 'i_small',
    type: { kind: 'smallint' },
    values: [1, -32768, 32767, null, 0, 7, null, -7],
    expected: Number,
  },
  {
    name: 'i_int',
    type: { kind: 'integer' },
    values: [2147483647, -2147483648, 42, null, -1, 100, 2147483647, 5],
    expected: Number,
  },
  {
    name: 'i_big',
    type: { kind: 'bigint' },
    values: [
      9007199254740,
      -4503599627370,
      1,
      null,
      0,
      123456789012,
      9007199254740,
      -1,
    ],
    expected: Number,
  },
  {
    name: 'dec',
    type: { kind: 'decimal', precision: 12, scale: 2 },
    values: [
      '1234567890.12',
      '-0.05',
      '0.29',
      null,
      '99.99',
      '-1000',
      '0.1',
      '-9999999999.99',
    ],
    expected: (v: string) => scaled(v, 2),
  },
  {
    name: 'dbl',
    type: { kind: 'double' },
    values: [0.1, -2.5, 1e10, null, 3.14159, 2 ** -20, -1e-5, 123.456],
    expected: Number,
  },
  {
    name: 'flag',
    type: { kind: 'boolean' },
    values: [true, false, true, null, true, false, true, null],
    expected: (v: boolean) => (v ? 1 : 0),
  },
  {
    name: 'day',
    type: { kind: 'date' },
    values: [
      '2024-01-02',
      '1969-07-20',
      '1970-01-01',
      null,
      '2000-02-29',
      '9999-12-31',
      '1000-01-01',
      '1969-12-31',
    ],
    expected: (v: string) => utcMs(v) / DAY_MS,
  },
  {
    name: 'ts',
    type: { kind: 'timestamp' },
    values: [
      '2024-01-02 03:04:05',
      // Before 1970 with a fraction: every engine must floor, not truncate.
      '1969-12-31 23:59:59.5',
      '2024-02-29 23:59:59.999',
      null,
      '1970-01-01 00:00:00',
      '2038-01-19 03:14:08',
      // A hair below the next second, on both sides of 1970.
      '1970-01-01 00:00:01.999999',
      '1969-12-31 23:59:58.999999',
    ],
    expected: (v: string) => Math.floor(utcMs(v) / 1000),
  },
  {
    name: 'tstz',
    type: { kind: 'timestamptz' },
    values: [
      '2024-01-02 03:04:05+02:00',
      '2024-06-30 22:00:00-05:00',
      '2024-01-02 03:04:05Z',
      null,
      '1999-12-31 23:59:59+00:00',
      '2024-03-10 12:00:00.25+01:00',
      '1969-07-20 20:17:40-04:00',
      null,
    ],
    expected: (v: string) => Math.floor(utcMs(v) / 1000),
  },
  {
    name: 'tm',
    type: { kind: 'time' },
    values: [
      '00:00:00',
      '10:00:00.5',
      '23:59:59',
      null,
      '12:34:56',
      '01:02:03',
      '23:59:59.999999',
      '00:00:00.000001',
    ],
    expected: (v: string) => {
      const [h, m, s] = v.split(':').map(Number);
      return Math.floor(h * 3600 + m * 60 + s);
    },
  },
  {
    name: 'code',
    type: { kind: 'char', length: 4 },
    // Trailing spaces of a CHAR are padding on PostgreSQL and MySQL.
    values: ['ab', 'xy  ', 'ÄÖÜß', null, '1234', 'z', ' ld', null],
    expected: (v: string) => hash(v.replace(/ +$/, '')),
  },
  {
    name: 'label',
    type: { kind: 'varchar', length: 60 },
    values: [
      'Bestellübersicht',
      'trailing  ',
      '数量 – 😀',
      null,
      '007',
      'it\'s \\ "quoted"',
      'A',
      'a',
    ],
    expected: (v: string) => hash(v),
  },
  {
    name: 'note',
    type: { kind: 'text' },
    values: [
      '',
      'Lieferung für Kunde 1 – 数量 9',
      'x'.repeat(5000),
      null,
      '\n\t',
      '1.50',
      '12345',
      'नमस्ते 🌍',
    ],
    expected: (v: string) => hash(v),
  },
  {
    name: 'doc',
    type: { kind: 'json' },
    // JSON keeps its text exactly: spacing, key order, a top-level number.
    values: [
      '{"b": 1,  "a": [1, 2]}',
      '1.50',
      '"ü"',
      null,
      '[]',
      '{"a":null}',
      '123',
      'true',
    ],
    expected: (v: string) => hash(v),
  },
  {
    name: 'uid',
    type: { kind: 'uuid' },
    // PostgreSQL prints uuids in lower case whatever was written.
    values: [
      'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12',
      '00000000-0000-0000-0000-000000000000',
      null,
      '123e4567-e89b-12d3-a456-426614174000',
      'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
      null,
      'f47ac10b-58cc-4372-a567-0e02b2c3d479',
    ],
    expected: (v: string) => hash(v.toLowerCase()),
  },
  {
    name: 'bin',
    type: { kind: 'binary' },
    values: [
      Buffer.from([0, 1, 2, 255]),
      Buffer.from('abc'),
      Buffer.alloc(0),
      null,
      Buffer.from([0xc3, 0x28]), // not valid UTF-8
      Buffer.from('ü'),
      Buffer.from('1.50'),
      Buffer.alloc(300, 7),
    ],
    expected: (v: Buffer) => hash(v),
  },
];

/** The `checksums` table with COLUMNS' values, written as the streamed copy writes them. */
async function seedChecksums(db: Awaited<ReturnType<typeof testConnections>>) {
  const { dialect } = db;
  const knex = db.knex();
  const table = { table: 'checksums' };
  await knex.raw(
    dialect.createTable(
      table,
      [
        {
          name: 'id',
          type: dialect.renderType({ kind: 'integer' }),
          isNullable: false,
          defaultValue: null,
        },
        ...COLUMNS.map(c => ({
          name: c.name,
          type: dialect.renderType(c.type),
          isNullable: true,
          defaultValue: null,
        })),
      ],
      ['id'],
    ),
  );
  const converters = COLUMNS.map(c => valueConverter(dialect.engine, c.type));
  for (let row = 0; row < ROWS; row++) {
    await knex(table.table).insert({
      id: row + 1,
      ...Object.fromEntries(
        COLUMNS.map((c, i) => [c.name, converters[i](c.values[row])]),
      ),
    });
  }
  return table;
}

/**
 * A value's piece of the row text (`Dialect.rowChecksum`), computed here: text as its
 * character count, `:` and itself, other values as the digits their checksum adds.
 */
function rowPiece(column: Column, value: unknown): string | undefined {
  if (column.type.kind === 'double') return undefined;
  if (value === null) return 'n';
  const plain: Record<string, (v: string) => string> = {
    char: v => v.replace(/ +$/, ''),
    varchar: v => v,
    text: v => v,
    uuid: v => v.toLowerCase(),
  };
  const text = plain[column.type.kind]?.(value as string);
  if (text !== undefined) return `${[...text].length}:${text}`;
  return String(column.expected(value));
}

describe('checksum', () => {
  const databases = createTestDatabases();

  it('has test values for every row', () => {
    for (const column of COLUMNS) expect(column.values).toHaveLength(ROWS);
  });

  it.each(databases.eachSupportedId())(
    'agrees with the sums computed in JavaScript, on %p',
    async databaseId => {
      const db = await testConnections(databases, databaseId as TestDatabaseId);
      try {
        const { dialect } = db;
        const knex = db.knex();
        const table = await seedChecksums(db);

        const select = COLUMNS.flatMap((c, i) => [
          `COUNT(${dialect.quote(c.name)}) AS ${dialect.quote(`n${i}`)}`,
          `${dialect.checksum(
            dialect.quote(c.name),
            c.type,
          )} AS ${dialect.quote(`s${i}`)}`,
        ]);
        const row = firstRow(
          await knex.raw(
            `SELECT ${select.join(', ')} FROM ${dialect.qualify(table)}`,
          ),
        )!;

        const results = COLUMNS.map((c, i) => {
          const present = c.values.filter(v => v !== null);
          return {
            column: c.name,
            count: Number(row[`n${i}`]),
            sum: Number(row[`s${i}`]),
            expectedCount: present.length,
            expectedSum: present.reduce<number>(
              (sum, v) => sum + c.expected(v),
              0,
            ),
          };
        });
        for (const r of results) {
          expect({ column: r.column, count: r.count }).toEqual({
            column: r.column,
            count: r.expectedCount,
          });
          // Engines add binary floats in their own order (SQLite compensates errors).
          const tolerance =
            r.column === 'dbl' ? Math.abs(r.expectedSum) * 1e-12 : 0;
          const isClose = Math.abs(r.sum - r.expectedSum) <= tolerance;
          expect({
            column: r.column,
            sum: isClose ? r.expectedSum : r.sum,
          }).toEqual({ column: r.column, sum: r.expectedSum });
        }

        // Hash sums outgrow 2^53 on big tables: PostgreSQL and MySQL must add them as
        // exact decimals (drivers hand those over as strings), never as DOUBLE.
        const hashed = COLUMNS.flatMap((c, i) =>
          ['char', 'varchar', 'text', 'json', 'uuid', 'binary'].includes(
            c.type.kind,
          )
            ? [typeof row[`s${i}`]]
            : [],
        );
        expect(hashed).toEqual(
          hashed.map(() => (dialect.engine === 'sqlite' ? 'number' : 'string')),
        );
      } finally {
        await db.destroy();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    "hashes each row's text as computed in JavaScript, on %p",
    async databaseId => {
      const db = await testConnections(databases, databaseId as TestDatabaseId);
      try {
        const { dialect } = db;
        const table = await seedChecksums(db);
        const parts = COLUMNS.map(c => ({
          expression: dialect.quote(c.name),
          type: c.type,
        }));
        const row = firstRow(
          await db
            .knex()
            .raw(
              `SELECT ${dialect.rowChecksum(parts)} AS ${dialect.quote(
                's',
              )} FROM ${dialect.qualify(table)}`,
            ),
        )!;
        let expected = 0;
        for (let r = 0; r < ROWS; r++) {
          const text = COLUMNS.flatMap(
            c => rowPiece(c, c.values[r]) ?? [],
          ).join('|');
          expected += hash(text);
        }
        // Integers on every engine (drivers hand exact sums over as strings).
        expect(String(row.s)).toBe(String(expected));
      } finally {
        await db.destroy();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'ignores NULLs and sums to NULL over no values, on %p',
    async databaseId => {
      const db = await testConnections(databases, databaseId as TestDatabaseId);
      try {
        const { dialect } = db;
        const knex = db.knex();
        await knex.raw(
          dialect.createTable(
            { table: 'empty' },
            [
              {
                name: 'label',
                type: dialect.renderType({ kind: 'text' }),
                isNullable: true,
                defaultValue: null,
              },
            ],
            [],
          ),
        );
        await knex('empty').insert([{ label: null }, { label: null }]);
        const row = firstRow(
          await knex.raw(
            `SELECT COUNT(*) AS ${dialect.quote('rows')}, ${dialect.checksum(
              dialect.quote('label'),
              { kind: 'text' },
            )} AS ${dialect.quote('s')} FROM ${dialect.quote('empty')}`,
          ),
        )!;
        expect(Number(row.rows)).toBe(2);
        expect(row.s).toBeNull();
      } finally {
        await db.destroy();
      }
    },
  );
});

describe('checksum between two PostgreSQL databases (hashtext)', () => {
  const databases = createTestDatabases();

  it('hashes text by its bytes: equal text agrees whatever the collation, a change or a case differs', async () => {
    const db = await testConnections(databases, 'POSTGRES_15');
    try {
      const { dialect } = db;
      const knex = db.knex();
      // A case-insensitive collation: hashtext would hash its sort key, 'A' as 'a'.
      await knex.raw(
        `CREATE COLLATION IF NOT EXISTS dm_ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)`,
      );
      await knex.raw(`CREATE TABLE ci_side (v text COLLATE dm_ci)`);
      await knex.raw(`CREATE TABLE plain_side (v text)`);
      const sum = async (table: string, values: Array<string | null>) => {
        await knex(table).delete();
        await knex(table).insert(values.map(v => ({ v })));
        const row = firstRow(
          await knex.raw(
            `SELECT COUNT(v) AS n, ${dialect.checksum(
              'v',
              { kind: 'text' },
              { isSameEngine: true },
            )} AS s FROM ${table}`,
          ),
        )!;
        return { n: Number(row.n), s: row.s === null ? null : Number(row.s) };
      };
      const values = ['Straße', 'A', '', null, 'x'.repeat(3000), '数量'];
      expect(
        dialect.checksum('v', { kind: 'text' }, { isSameEngine: true }),
      ).toContain('hashtext');
      expect(await sum('ci_side', values)).toEqual(
        await sum('plain_side', values),
      );
      // A case change, which the collation calls equal, is a difference.
      expect(await sum('ci_side', ['a'])).not.toEqual(
        await sum('plain_side', ['A']),
      );
      // NULL where '' was: the count tells them apart.
      expect((await sum('ci_side', [''])).n).not.toEqual(
        (await sum('plain_side', [null])).n,
      );
    } finally {
      await db.destroy();
    }
  });
});
