import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { allRows } from './rawRows';
import { testConnections } from '../__testUtils__/testConnections';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import type { Dialect, TableName } from './Dialect';
import type { LogicalType } from './LogicalType';

jest.setTimeout(60_000);

const column = (
  dialect: Dialect,
  name: string,
  type: LogicalType,
  isNullable = true,
  defaultValue: string | number | boolean | null = null,
) => ({
  name,
  type: dialect.renderType(type),
  isNullable,
  defaultValue: defaultValue === null ? null : dialect.literal(defaultValue),
});

describe('DDL', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'creates, renames, views and drops tables, on %p',
    async databaseId => {
      const db = await testConnections(databases, databaseId as TestDatabaseId);
      try {
        const { dialect } = db;
        const knex = db.knex();
        const schema = await dialect.currentSchema(knex);
        const at = (table: string): TableName => ({ schema, table });
        const rows = (sql: string) =>
          knex.raw(sql).then(r => allRows(r) as Array<Record<string, any>>);

        await knex.raw(
          dialect.createTable(
            at('select'),
            [
              column(dialect, 'id', { kind: 'integer' }, false),
              column(
                dialect,
                'status',
                { kind: 'varchar', length: 16 },
                false,
                'open',
              ),
              column(dialect, 'Menge€', {
                kind: 'decimal',
                precision: 10,
                scale: 3,
              }),
            ],
            ['id'],
          ),
        );
        await knex.raw(
          `INSERT INTO ${dialect.qualify(at('select'))} (${dialect.quote(
            'id',
          )}, ${dialect.quote(
            'Menge€',
          )}) VALUES (1, 1.5), (2, NULL), (3, 2.25)`,
        );

        await knex.raw(dialect.renameTable(at('select'), 'select__backup'));
        await expect(
          dialect.introspect(knex, 'source', at('select')),
        ).rejects.toThrow(NotFoundError);
        const renamed = await dialect.introspect(
          knex,
          'source',
          at('select__backup'),
        );
        expect(renamed.rowEstimate).toBe(3);
        expect(renamed.primaryKey).toEqual(['id']);

        // The compatibility view: old name, old column names, over the renamed table.
        await knex.raw(
          dialect.createView(
            at('select'),
            `SELECT ${dialect.quote('id')} AS ${dialect.quote(
              'order',
            )}, ${dialect.quote('status')} AS ${dialect.quote(
              'group',
            )} FROM ${dialect.qualify(at('select__backup'))}`,
          ),
        );
        const viaView = await rows(
          `SELECT * FROM ${dialect.qualify(
            at('select'),
          )} ORDER BY ${dialect.quote('order')} ${dialect.limit(2)}`,
        );
        expect(viaView.map(r => ({ ...r, order: Number(r.order) }))).toEqual([
          { order: 1, group: 'open' },
          { order: 2, group: 'open' },
        ]);

        await knex.raw(dialect.dropViewIfExists(at('select')));
        await knex.raw(dialect.dropViewIfExists(at('select'))); // idempotent
        await expect(
          rows(`SELECT * FROM ${dialect.qualify(at('select'))}`),
        ).rejects.toThrow();
        // The table under the view's old name is untouched.
        expect(
          await rows(`SELECT * FROM ${dialect.qualify(at('select__backup'))}`),
        ).toHaveLength(3);

        await knex.raw(dialect.dropTableIfExists(at('select__backup')));
        await knex.raw(dialect.dropTableIfExists(at('select__backup')));
        await expect(
          dialect.introspect(knex, 'source', at('select__backup')),
        ).rejects.toThrow(NotFoundError);
      } finally {
        await db.destroy();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'keys and indexes text-like columns and shortens long index names, on %p',
    async databaseId => {
      const db = await testConnections(databases, databaseId as TestDatabaseId);
      try {
        const { dialect } = db;
        const knex = db.knex();
        const table = { table: 'documents' };
        const columns = [
          // text and json render as LONGTEXT on MySQL, which cannot be a key as such.
          column(dialect, 'path', { kind: 'text' }, false),
          column(dialect, 'body', { kind: 'text' }, true, 'empty'),
          column(dialect, 'email', { kind: 'varchar' }),
          column(dialect, 'blob', { kind: 'binary' }),
          column(dialect, 'meta', { kind: 'json' }),
        ];
        const types = Object.fromEntries(columns.map(c => [c.name, c.type]));
        await knex.raw(dialect.createTable(table, columns, ['path']));
        const longName = `documents_${'body_path_'.repeat(8)}idx`;
        expect(longName.length).toBeGreaterThan(64);
        for (const index of [
          { name: longName, columns: ['body', 'path'], isUnique: false },
          { name: 'documents_meta_idx', columns: ['meta'], isUnique: false },
          { name: 'documents_email_key', columns: ['email'], isUnique: true },
          { name: 'documents_blob_idx', columns: ['blob'], isUnique: false },
        ]) {
          await knex.raw(dialect.createIndex(table, index, types));
        }

        await knex('documents').insert([
          { path: 'a/b', email: 'ada@example.com', meta: '{}' },
          { path: 'a/c', email: 'grace@example.com' },
        ]);
        await expect(
          knex('documents').insert({ path: 'a/b' }),
        ).rejects.toThrow();
        await expect(
          knex('documents').insert({ path: 'a/d', email: 'ada@example.com' }),
        ).rejects.toThrow();

        const schema = await dialect.introspect(knex, 'source', table);
        expect(schema.primaryKey).toEqual(['path']);
        const short = schema.indexes.find(i => i.columns[0] === 'body')!;
        expect(short.columns).toEqual(['body', 'path']);
        // PostgreSQL indexes json through its text: an expression index, which
        // introspection leaves out as no other engine could build it.
        expect(
          schema.indexes.filter(i => i !== short).map(i => i.name),
        ).toEqual([
          'documents_blob_idx',
          'documents_email_key',
          ...(dialect.engine === 'postgres' ? [] : ['documents_meta_idx']),
        ]);
        // SQLite has no limit of its own below the 255 bytes quote allows.
        const isShortened = dialect.engine !== 'sqlite';
        expect(short.name === longName).toBe(!isShortened);
        expect(Buffer.byteLength(short.name)).toBeLessThanOrEqual(
          isShortened ? 63 : 255,
        );
        expect(short.name).toMatch(/^documents_body_path_/);
        expect(/_[0-9a-f]{8}$/.test(short.name)).toBe(isShortened);
        const huge = `documents_${'x'.repeat(300)}`;
        expect(
          dialect.createIndex(table, { ...short, name: huge }, types),
        ).toMatch(/^CREATE INDEX ["`]documents_x+_[0-9a-f]{8}["`] ON/);
        // The derived name is deterministic.
        expect(
          dialect.createIndex(table, { ...short, name: longName }, types),
        ).toContain(dialect.quote(short.name));
        expect(schema.indexes.find(i => i.columns[0] === 'email')).toEqual({
          name: 'documents_email_key',
          columns: ['email'],
          isUnique: true,
        });
        const [row] = allRows(
          await knex.raw(
            `SELECT ${dialect.quote('body')} AS ${dialect.quote(
              'body',
            )} FROM ${dialect.quote('documents')} WHERE ${dialect.quote(
              'path',
            )} = ?`,
            ['a/c'],
          ),
        );
        expect(row.body).toBe('empty');
      } finally {
        await db.destroy();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'freezes a table for writes and unfreezes it, on %p',
    async databaseId => {
      const db = await testConnections(databases, databaseId as TestDatabaseId);
      try {
        const { dialect } = db;
        const knex = db.knex();
        const name = { table: 'frozen' };
        await knex.raw(
          dialect.createTable(
            name,
            [column(dialect, 'id', { kind: 'integer' }, false)],
            ['id'],
          ),
        );
        await knex('frozen').insert({ id: 1 });
        for (const sql of dialect.freezeTable(name, "Read-only: it's moved"))
          await knex.raw(sql);
        await expect(knex('frozen').insert({ id: 2 })).rejects.toThrow(
          /Read-only: it's moved/,
        );
        await expect(knex('frozen').delete()).rejects.toThrow(/Read-only/);
        expect(await knex('frozen').select('id')).toHaveLength(1);
        for (const sql of dialect.unfreezeTable(name)) await knex.raw(sql);
        await knex('frozen').insert({ id: 2 });
        expect(await knex('frozen').select('id')).toHaveLength(2);
      } finally {
        await db.destroy();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'casts in its own spelling, on %p',
    async databaseId => {
      const db = await testConnections(databases, databaseId as TestDatabaseId);
      try {
        const { dialect } = db;
        const value = (expression: string, type: LogicalType) =>
          db
            .knex()
            .raw(
              `SELECT ${dialect.cast(expression, type)} AS ${dialect.quote(
                'v',
              )}`,
            )
            .then(r => allRows(r)[0].v);
        expect(Number(await value("'42'", { kind: 'integer' }))).toBe(42);
        expect(String(await value('42', { kind: 'text' }))).toBe('42');
        expect(
          Number(
            await value("'12.5'", { kind: 'decimal', precision: 10, scale: 2 }),
          ),
        ).toBe(12.5);
        expect(
          String(await value("'2024-01-02 03:04:05'", { kind: 'date' })),
        ).toMatch(/^2024-01-02/);
        expect(
          String(await value("'2024-01-02'", { kind: 'timestamp' })),
        ).toMatch(/^2024-01-02 00:00:00/);
      } finally {
        await db.destroy();
      }
    },
  );
});
