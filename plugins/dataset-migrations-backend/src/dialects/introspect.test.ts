/* eslint-disable jest/no-standalone-expect -- the PostgreSQL-only test runs through `itOn`,
   which the jest plugin does not know as a test. */
import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import type {
  Engine,
  IndexSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { ALL_KINDS, expectedRoundTrip } from '../__testUtils__/logicalTypes';
import { testConnections } from '../__testUtils__/testConnections';
import { createTestDatabases, itOn } from '../__testUtils__/testDatabases';
import { coerceDefault, portableDefault } from './portableDefault';
import type { Dialect, TableName } from './Dialect';
import type { LogicalType } from './LogicalType';

jest.setTimeout(60_000);

type ColumnSpec = {
  name: string;
  type: LogicalType;
  isNullable: boolean;
  defaultValue?: string | number | boolean;
};

async function createTable(
  knex: Knex,
  dialect: Dialect,
  name: TableName,
  columns: ColumnSpec[],
  primaryKey: string[],
  indexes: IndexSchema[] = [],
) {
  const rendered = columns.map(c => ({
    name: c.name,
    type: dialect.renderType(c.type),
    isNullable: c.isNullable,
    defaultValue:
      c.defaultValue === undefined ? null : dialect.literal(c.defaultValue),
  }));
  await knex.raw(dialect.createTable(name, rendered, primaryKey));
  const types = Object.fromEntries(rendered.map(c => [c.name, c.type]));
  for (const index of indexes) {
    await knex.raw(dialect.createIndex(name, index, types));
  }
}

/** The declared types each engine reports for the `order` table's columns. */
const DECLARED: Record<Engine, RegExp[]> = {
  sqlite: [
    /^integer$/,
    /^smallint$/,
    /^varchar\(40\)$/,
    /^numeric\(12,2\)$/,
    /^boolean$/,
    /^char\(2\)$/,
    /^text$/,
  ],
  postgres: [
    /^integer$/,
    /^smallint$/,
    /^character varying\(40\)$/,
    /^numeric\(12,2\)$/,
    /^boolean$/,
    /^character\(2\)$/,
    /^text$/,
  ],
  // MariaDB and MySQL before 8.0.19 add display widths to integers.
  mysql: [
    /^int(\(11\))?$/,
    /^smallint(\(6\))?$/,
    /^varchar\(40\)$/,
    /^decimal\(12,2\)$/,
    /^tinyint\(1\)$/,
    /^char\(2\)$/,
    /^longtext$/,
  ],
};

const ANY_COLLATION = { collation: expect.any(String) };

describe('introspect', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'reads a matrix of tables made with the dialect, on %p',
    async databaseId => {
      const db = await testConnections(databases, databaseId as TestDatabaseId);
      try {
        const { dialect } = db;
        const knex = db.knex('source');
        const schema = await dialect.currentSchema(knex);
        expect(typeof schema).toBe(
          dialect.engine === 'sqlite' ? 'undefined' : 'string',
        );

        // Reserved words everywhere, a composite key in another order than the columns,
        // defaults of each literal kind, a unique and a plain index.
        await createTable(
          knex,
          dialect,
          { table: 'order' },
          [
            { name: 'group', type: { kind: 'integer' }, isNullable: false },
            { name: 'select', type: { kind: 'smallint' }, isNullable: false },
            {
              name: 'user',
              type: { kind: 'varchar', length: 40 },
              isNullable: false,
              defaultValue: "anonymous's",
            },
            {
              name: 'amount',
              type: { kind: 'decimal', precision: 12, scale: 2 },
              isNullable: true,
              defaultValue: 0,
            },
            {
              name: 'isGift',
              type: { kind: 'boolean' },
              isNullable: false,
              defaultValue: false,
            },
            {
              name: 'country',
              type: { kind: 'char', length: 2 },
              isNullable: true,
            },
            { name: 'note', type: { kind: 'text' }, isNullable: true },
          ],
          ['select', 'group'],
          [
            {
              name: 'order_user_country_key',
              columns: ['user', 'country'],
              isUnique: true,
            },
            { name: 'order_amount_idx', columns: ['amount'], isUnique: false },
          ],
        );
        await knex.raw(
          `INSERT INTO ${dialect.qualify({ table: 'order' })} (${[
            'group',
            'select',
            'country',
          ]
            .map(dialect.quote)
            .join(', ')}) VALUES (1, 1, 'DE'), (1, 2, NULL), (2, 1, 'FR')`,
        );

        const order = await dialect.introspect(knex, 'source', {
          table: 'order',
        });
        // The shape alone (what preflight compares): the same shape, without
        // counting the rows or reading the keys that point at the table.
        const shape = await dialect.introspect(
          knex,
          'source',
          { table: 'order' },
          { shapeOnly: true },
        );
        expect(shape).toEqual({ ...order, rowEstimate: 0, referencedBy: [] });
        expect(order).toMatchObject({
          connection: 'source',
          engine: dialect.engine,
          table: 'order',
          primaryKey: ['select', 'group'],
          rowEstimate: 3,
        });
        expect(order.schema).toBe(schema);
        expect(order.columns.map(c => c.name)).toEqual([
          'group',
          'select',
          'user',
          'amount',
          'isGift',
          'country',
          'note',
        ]);
        expect(order.columns.map(c => c.type)).toEqual(
          DECLARED[dialect.engine].map(t => expect.stringMatching(t)),
        );
        expect(order.columns.map(c => c.isNullable)).toEqual([
          false,
          false,
          false,
          true,
          false,
          true,
          true,
        ]);
        const defaults = order.columns.map(c => c.defaultValue);
        expect(defaults[0]).toBeNull();
        expect(defaults[5]).toBeNull();
        expect(defaults[6]).toBeNull();
        // Each engine spells defaults its own way; they mean the same value.
        expect(portableDefault(defaults[2])).toBe("anonymous's");
        expect(Number(portableDefault(defaults[3]))).toBe(0);
        expect(coerceDefault(portableDefault(defaults[4])!, 'boolean')).toBe(
          false,
        );
        expect(order.indexes).toEqual([
          {
            name: 'order_amount_idx',
            columns: ['amount'],
            isUnique: false,
          },
          {
            name: 'order_user_country_key',
            columns: ['user', 'country'],
            isUnique: true,
          },
        ]);
        expect(order.columns.map(c => dialect.toLogical(c.type))).toEqual([
          { kind: dialect.engine === 'sqlite' ? 'bigint' : 'integer' },
          { kind: 'smallint' },
          { kind: 'varchar', length: 40 },
          { kind: 'decimal', precision: 12, scale: 2 },
          { kind: 'boolean' },
          { kind: 'char', length: 2 },
          { kind: 'text' },
        ]);

        // Unicode names, no primary key, a unique constraint declared in the table.
        const unicode = dialect.qualify({
          schema,
          table: 'Bestellübersicht',
        });
        await knex.raw(
          `CREATE TABLE ${unicode} (
             ${dialect.quote('数量')} ${dialect.renderType({
            kind: 'integer',
          })},
             ${dialect.quote('Straße')} ${dialect.renderType({
            kind: 'varchar',
            length: 80,
          })} NOT NULL,
             CONSTRAINT ${dialect.quote(
               'bestell_strasse_uq',
             )} UNIQUE (${dialect.quote('Straße')})
           )`,
        );
        await knex.raw(
          dialect.createIndex(
            { schema, table: 'Bestellübersicht' },
            {
              name: 'Bestellübersicht_数量_idx',
              columns: ['数量'],
              isUnique: false,
            },
          ),
        );
        const bestell = await dialect.introspect(knex, 'source', {
          schema,
          table: 'Bestellübersicht',
        });
        expect(bestell.table).toBe('Bestellübersicht');
        expect(bestell.primaryKey).toEqual([]);
        expect(bestell.rowEstimate).toBe(0);
        expect(bestell.columns).toEqual([
          {
            name: '数量',
            type: expect.any(String),
            isNullable: true,
            defaultValue: null,
          },
          {
            name: 'Straße',
            type: expect.stringMatching(/^(character varying|varchar)\(80\)$/),
            isNullable: false,
            defaultValue: null,
            // MySQL/MariaDB: every character column says its collation.
            ...(dialect.engine === 'mysql' ? ANY_COLLATION : {}),
          },
        ]);
        const constraintName =
          dialect.engine === 'sqlite'
            ? 'sqlite_autoindex_Bestellübersicht_1'
            : 'bestell_strasse_uq';
        expect(bestell.indexes).toEqual(
          [
            {
              name: 'Bestellübersicht_数量_idx',
              columns: ['数量'],
              isUnique: false,
            },
            {
              name: constraintName,
              columns: ['Straße'],
              isUnique: true,
              // MySQL/MariaDB's UNIQUE constraint is its unique index: no difference to report.
              ...(dialect.engine === 'mysql' ? {} : { isConstraint: true }),
            },
          ].sort((a, b) => a.name.localeCompare(b.name)),
        );
      } finally {
        await db.destroy();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'reads back every logical kind it renders, on %p',
    async databaseId => {
      const db = await testConnections(databases, databaseId as TestDatabaseId);
      try {
        const { dialect } = db;
        const knex = db.knex();
        const columns = ALL_KINDS.map(type => ({
          name: `k_${type.kind}`,
          type,
          isNullable: true,
        }));
        await createTable(knex, dialect, { table: 'kinds' }, columns, []);
        const table = await dialect.introspect(knex, 'source', {
          table: 'kinds',
        });
        expect(table.columns.map(c => c.name)).toEqual(
          columns.map(c => c.name),
        );
        table.columns.forEach((column, i) => {
          const type = ALL_KINDS[i];
          const expected = expectedRoundTrip(dialect.engine, type);
          expect([column.name, dialect.toLogical(column.type)]).toEqual([
            column.name,
            expected.type,
          ]);
          expect([column.name, dialect.lossOf(type) !== undefined]).toEqual([
            column.name,
            expected.isLossy,
          ]);
        });
      } finally {
        await db.destroy();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'names the connection and table it cannot find, on %p',
    async databaseId => {
      const db = await testConnections(databases, databaseId as TestDatabaseId);
      try {
        const promise = db.dialect.introspect(db.knex(), 'source', {
          table: 'nowhere',
        });
        await expect(promise).rejects.toThrow(NotFoundError);
        await expect(promise).rejects.toThrow(
          /Table (\S+\.)?nowhere does not exist on connection source/,
        );
        // A view is not a table to migrate.
        await db
          .knex()
          .raw(`CREATE VIEW ${db.dialect.quote('v')} AS SELECT 1 AS x`);
        await expect(
          db.dialect.introspect(db.knex(), 'source', { table: 'v' }),
        ).rejects.toThrow(NotFoundError);
      } finally {
        await db.destroy();
      }
    },
  );

  itOn(databases, 'POSTGRES_15')(
    'takes the row estimate of an analyzed PostgreSQL table from its statistics, not a count',
    async () => {
      const db = await testConnections(databases, 'POSTGRES_15');
      try {
        const { dialect } = db;
        const knex = db.knex();
        await knex.raw('CREATE TABLE "counted" (id integer PRIMARY KEY)');
        await knex.raw('INSERT INTO "counted" SELECT generate_series(1, 30)');
        await knex.raw('ANALYZE "counted"');
        // Rows the statistics have not seen yet: a count would include them.
        await knex.raw('INSERT INTO "counted" SELECT generate_series(31, 40)');
        const table = await dialect.introspect(knex, 'source', {
          table: 'counted',
        });
        expect(table.rowEstimate).toBe(30);
      } finally {
        await db.destroy();
      }
    },
  );

  itOn(databases, 'POSTGRES_15')(
    'reads a partitioned PostgreSQL table as one table: its columns, composite key, CHECK and rows over every partition',
    async () => {
      const db = await testConnections(databases, 'POSTGRES_15');
      try {
        const { dialect } = db;
        const knex = db.knex();
        await knex.raw(
          `CREATE TABLE "readings" (
             "site" text COLLATE "C" NOT NULL,
             "at" date NOT NULL,
             "id" integer GENERATED BY DEFAULT AS IDENTITY,
             "value" numeric(8,2) CHECK ("value" >= 0),
             PRIMARY KEY ("site", "at")
           ) PARTITION BY RANGE ("at")`,
        );
        await knex.raw(
          `CREATE TABLE "readings_2025" PARTITION OF "readings" FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')`,
        );
        await knex.raw(
          `CREATE TABLE "readings_2026" PARTITION OF "readings" FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')`,
        );
        await knex.raw(
          `INSERT INTO "readings" ("site", "at", "value") VALUES ('a', '2025-05-01', 1), ('a', '2026-05-01', 2), ('b', '2026-06-01', 3)`,
        );
        const table = await dialect.introspect(knex, 'source', {
          table: 'readings',
        });
        expect(table).toMatchObject({
          schema: 'public',
          table: 'readings',
          primaryKey: ['site', 'at'],
          rowEstimate: 3,
          referencedBy: [],
          foreignKeys: [],
          checks: [
            {
              name: 'readings_value_check',
              expression: '(value >= (0)::numeric)',
            },
          ],
        });
        expect(table.columns).toEqual([
          expect.objectContaining({
            name: 'site',
            type: 'text',
            isNullable: false,
            collation: 'C',
          }),
          expect.objectContaining({
            name: 'at',
            type: 'date',
            isNullable: false,
          }),
          expect.objectContaining({
            name: 'id',
            type: 'integer',
            identity: { generation: 'by-default', kind: 'identity' },
          }),
          expect.objectContaining({
            name: 'value',
            type: 'numeric(8,2)',
            isNullable: true,
          }),
        ]);
        // A partition is a table of its own too.
        const partition = await dialect.introspect(knex, 'source', {
          table: 'readings_2026',
        });
        expect(partition).toMatchObject({
          primaryKey: ['site', 'at'],
          rowEstimate: 2,
        });
      } finally {
        await db.destroy();
      }
    },
  );
});
