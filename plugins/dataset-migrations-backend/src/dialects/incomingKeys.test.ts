import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { testConnections } from '../__testUtils__/testConnections';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { repointStatement } from '../plan/sql/repointForeignKeys';

jest.setTimeout(60_000);

/**
 * A parent referenced by a child twice (its primary key, and a composite unique key),
 * plus the parent's own self-reference, which is not an incoming foreign key.
 */
const SCHEMA = [
  `CREATE TABLE parent (id integer PRIMARY KEY, a integer NOT NULL, b integer NOT NULL, up integer,
     UNIQUE (a, b), CONSTRAINT parent_up FOREIGN KEY (up) REFERENCES parent (id))`,
  `CREATE TABLE child (id integer PRIMARY KEY, pid integer, x integer, y integer,
     CONSTRAINT child_parent FOREIGN KEY (pid) REFERENCES parent (id) ON DELETE CASCADE ON UPDATE RESTRICT,
     CONSTRAINT child_ab FOREIGN KEY (x, y) REFERENCES parent (a, b) ON DELETE SET NULL ON UPDATE CASCADE)`,
  `CREATE TABLE unrelated (id integer PRIMARY KEY)`,
];

describe('introspect: foreign keys that reference the table', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())('%s', async databaseId => {
    const db = await testConnections(databases, databaseId as TestDatabaseId);
    try {
      const knex = db.knex('source');
      for (const sql of SCHEMA) await knex.raw(sql);
      const schema = await db.dialect.currentSchema(knex);
      const parent = await db.dialect.introspect(knex, 'source', {
        table: 'parent',
      });
      const isSqlite = db.dialect.engine === 'sqlite';
      const where = schema ? { schema } : {};
      const byColumns = [...(parent.referencedBy ?? [])].sort((p, q) =>
        p.columns[0].localeCompare(q.columns[0]),
      );
      expect(byColumns).toEqual([
        {
          // SQLite reports no constraint names: they are named by position (last declared first).
          name: isSqlite ? 'child_fk1' : 'child_parent',
          from: { ...where, table: 'child' },
          columns: ['pid'],
          references: { ...where, table: 'parent', columns: ['id'] },
          onDelete: 'CASCADE',
          onUpdate: 'RESTRICT',
        },
        {
          name: isSqlite ? 'child_fk0' : 'child_ab',
          from: { ...where, table: 'child' },
          columns: ['x', 'y'],
          references: { ...where, table: 'parent', columns: ['a', 'b'] },
          onDelete: 'SET NULL',
          onUpdate: 'CASCADE',
        },
      ]);
      const child = await db.dialect.introspect(knex, 'source', {
        table: 'child',
      });
      expect(child.referencedBy).toEqual([]);
    } finally {
      await db.destroy();
    }
  });

  it('POSTGRES_15: a deferrable key stays deferrable, and its re-pointing keeps it so', async () => {
    const db = await testConnections(databases, 'POSTGRES_15');
    try {
      const knex = db.knex('source');
      await knex.raw('CREATE TABLE parent (id integer PRIMARY KEY)');
      await knex.raw(
        'CREATE TABLE child (id integer PRIMARY KEY, pid integer CONSTRAINT child_parent REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)',
      );
      const parent = await db.dialect.introspect(knex, 'source', {
        table: 'parent',
      });
      expect(parent.referencedBy?.[0]).toMatchObject({
        name: 'child_parent',
        deferrable: 'deferred',
      });
      const [, add] = repointStatement(
        db.dialect,
        parent.referencedBy![0],
        { schema: parent.schema, table: 'parent_v2' },
        ['id'],
      );
      expect(add).toMatch(/DEFERRABLE INITIALLY DEFERRED NOT VALID$/);
    } finally {
      await db.destroy();
    }
  });
});
