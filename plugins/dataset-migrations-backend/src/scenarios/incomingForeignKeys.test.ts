import {
  mockCredentials,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import type { MigrationStatus } from '@internal/backstage-plugin-dataset-migrations-common';
import type { ConnectionConfig } from '../config/DatasetMigrationsConfig';
import { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { firstRow } from '../dialects/rawRows';
import { backupTableName } from '../dialects/names';
import { engineConnection } from '../__testUtils__/engineConnections';
import { planFor } from '../__testUtils__/planFor';
import { rule } from '../__testUtils__/rule';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { stepContext } from '../__testUtils__/stepContext';
import { catchUpStep } from '../execute/steps/catchUpStep';
import { copyStep } from '../execute/steps/copyStep';
import { cutoverStep } from '../execute/steps/cutoverStep';
import { provisionStep } from '../execute/steps/provisionStep';
import { verifyStep } from '../execute/steps/verifyStep';
import { testStore, createTestMigration } from '../__testUtils__/testStore';
import { testRunner, driveMigration } from '../__testUtils__/testRunner';
import { testMigrationService } from '../__testUtils__/testService';

jest.setTimeout(120_000);

const PARENTS = 50;
const owner = mockCredentials.user('user:default/owner');

/**
 * A parent table that another table references twice (its primary key, with ON DELETE
 * CASCADE, and a composite unique key), migrated within its database while the child
 * stays: the foreign keys move to the new table at cutover, back on rollback, and the
 * parent's migration finalizes alone.
 */
describe('foreign keys of other tables that reference the migrated table', () => {
  const databases = createTestDatabases();
  const serverIds = databases
    .eachSupportedId()
    .map(([id]) => id)
    .filter(id => id !== 'SQLITE_3');

  async function setUp(id: TestDatabaseId) {
    const { store } = await testStore(await databases.init(id));
    const registry = new ConnectionRegistry(
      new Map<string, ConnectionConfig>([
        ['src', await engineConnection(databases, id, 'src')],
      ]),
    );
    const knex = registry.get('src');
    await knex.raw(
      `CREATE TABLE parent (id integer PRIMARY KEY, a integer NOT NULL, b integer NOT NULL, label varchar(40), UNIQUE (a, b))`,
    );
    await knex.raw(
      `CREATE TABLE child (id integer PRIMARY KEY, pid integer, x integer, y integer,
         CONSTRAINT child_parent FOREIGN KEY (pid) REFERENCES parent (id) ON DELETE CASCADE,
         CONSTRAINT child_ab FOREIGN KEY (x, y) REFERENCES parent (a, b))`,
    );
    for (let i = 1; i <= PARENTS; i++) {
      await knex('parent').insert({ id: i, a: i, b: 10 * i, label: `p${i}` });
      await knex('child').insert({ id: i, pid: i, x: i, y: 10 * i });
    }
    // The referenced columns are renamed on the new table: the keys follow the mapping.
    const plan = await planFor(
      registry,
      { connection: 'src', table: 'parent' },
      [
        rule({ name: 'key', match: { column: 'a' }, renameTo: 'a_key' }),
        rule({ name: 'v2', target: { table: '{table}_v2' } }),
      ],
    );
    const runner = testRunner(store, registry, { maxAttempts: 3 });
    const service = testMigrationService(store, registry);
    const created = await createTestMigration(
      store,
      plan,
      'user:default/owner',
    );
    const statusOf = async () => (await store.getMigration(created.id))!.status;
    const driveWhile = (...whileStatus: MigrationStatus[]) =>
      driveMigration(runner, store, created.id, { whileStatus });
    const referencedBy = async (table: string) =>
      (
        await registry.dialect('src').introspect(knex, 'src', { table })
      ).referencedBy!.map(fk => ({
        name: fk.name,
        table: fk.references.table,
        columns: fk.references.columns,
        onDelete: fk.onDelete,
      }));
    const count = async (table: string) =>
      Number(firstRow(await knex.raw(`SELECT COUNT(*) AS n FROM ${table}`))!.n);
    return {
      id: created.id,
      registry,
      plan,
      knex,
      service,
      statusOf,
      driveWhile,
      referencedBy,
      count,
      tearDown: () => registry.destroy(),
    };
  }

  it.each(serverIds)(
    '%s: cutover re-points them to the new table, and finalize completes alone',
    async id => {
      const t = await setUp(id);
      try {
        expect(t.plan.compatibility).toBe('view');
        expect(t.plan.findings.filter(f => f.severity === 'blocking')).toEqual(
          [],
        );
        expect(
          t.plan.findings.filter(f => f.code === 'incoming-foreign-key'),
        ).toHaveLength(2);
        await t.driveWhile('queued', 'running');
        expect(await t.statusOf()).toBe('awaiting_cleanup');

        expect(await t.referencedBy('parent_v2')).toEqual(
          expect.arrayContaining([
            {
              name: 'child_parent',
              table: 'parent_v2',
              columns: ['id'],
              onDelete: 'CASCADE',
            },
            {
              name: 'child_ab',
              table: 'parent_v2',
              columns: ['a_key', 'b'],
              onDelete: expect.any(String),
            },
          ]),
        );
        // Nothing but the migration's own TRUNCATE guard (MariaDB) references the backup.
        expect(
          (await t.referencedBy(backupTableName('parent'))).filter(
            fk => !fk.name.startsWith('dm_guard_'),
          ),
        ).toEqual([]);

        // A parent row written through the compatibility view can be referenced...
        await t
          .knex('parent')
          .insert({ id: 1000, a: 1000, b: 7, label: 'new' });
        await t.knex('child').insert({ id: 1000, pid: 1000, x: 1000, y: 7 });
        // ...a missing one cannot, by either key...
        await expect(
          t.knex('child').insert({ id: 1001, pid: 999 }),
        ).rejects.toThrow();
        await expect(
          t.knex('child').insert({ id: 1002, x: 1000, y: 8 }),
        ).rejects.toThrow();
        // ...and the actions came along: deleting a parent cascades to its child.
        await t.knex('parent').where({ id: 1 }).delete();
        expect(await t.count('child')).toBe(PARENTS);

        await t.service.act(t.id, 'finalize', owner);
        await t.driveWhile('cleaning_up');
        expect(await t.statusOf()).toBe('completed');
        expect(await t.knex.schema.hasTable(backupTableName('parent'))).toBe(
          false,
        );
        expect(await t.count('parent_v2')).toBe(PARENTS);
        expect(await t.count('child')).toBe(PARENTS);
        await expect(
          t.knex('child').insert({ id: 1003, pid: 999 }),
        ).rejects.toThrow();
      } finally {
        await t.tearDown();
      }
    },
  );

  it.each(serverIds)(
    '%s: rollback before finalize points them back at the source',
    async id => {
      const t = await setUp(id);
      try {
        await t.driveWhile('queued', 'running');
        expect(await t.statusOf()).toBe('awaiting_cleanup');
        await t.service.act(t.id, 'rollback', owner);
        await t.driveWhile('rolling_back');
        expect(await t.statusOf()).toBe('rolled_back');

        expect(await t.referencedBy('parent')).toEqual(
          expect.arrayContaining([
            {
              name: 'child_parent',
              table: 'parent',
              columns: ['id'],
              onDelete: 'CASCADE',
            },
            {
              name: 'child_ab',
              table: 'parent',
              columns: ['a', 'b'],
              onDelete: expect.any(String),
            },
          ]),
        );
        // The new table is gone: nothing referenced it any more.
        expect(await t.knex.schema.hasTable('parent_v2')).toBe(false);
        await t.knex('parent').insert({ id: 1000, a: 1000, b: 7 });
        await t.knex('child').insert({ id: 1000, pid: 1000, x: 1000, y: 7 });
        await expect(
          t.knex('child').insert({ id: 1001, pid: 999 }),
        ).rejects.toThrow();
        expect(await t.count('child')).toBe(PARENTS + 1);
      } finally {
        await t.tearDown();
      }
    },
  );

  it.each(serverIds)(
    '%s: a cutover retried after a crash half-way through the re-pointing finishes it, and an undo from there puts every key back',
    async id => {
      const t = await setUp(id);
      const dialect = t.registry.dialect('src');
      const alter = (sql: string) => t.knex.raw(`ALTER TABLE child ${sql}`);
      const dropKey = (name: string) =>
        alter(
          `DROP ${
            dialect.engine === 'mysql' ? 'FOREIGN KEY' : 'CONSTRAINT'
          } ${dialect.quote(name)}`,
        );
      try {
        const ctx = stepContext(t.registry, t.plan, { events: [] });
        for (const step of [provisionStep, copyStep, catchUpStep, verifyStep])
          await step.run(ctx);
        // As a crash leaves MariaDB, whose DDL commits statement by statement: one key
        // already on the new table, the other dropped and not yet added again.
        await dropKey('child_parent');
        await alter(
          'ADD CONSTRAINT child_parent FOREIGN KEY (pid) REFERENCES parent_v2 (id) ON DELETE CASCADE',
        );
        await dropKey('child_ab');
        const half = await t.referencedBy('parent_v2');
        expect(half.map(fk => fk.name)).toEqual(['child_parent']);

        // The undo from there puts both back on the source...
        await cutoverStep.undo(ctx);
        const back = await t.referencedBy('parent');
        expect(back.map(fk => [fk.name, fk.table]).sort()).toEqual([
          ['child_ab', 'parent'],
          ['child_parent', 'parent'],
        ]);
        expect(await t.referencedBy('parent_v2')).toEqual([]);

        // ...and from the same half state, the retried cutover finishes the move.
        await dropKey('child_ab');
        await cutoverStep.run(ctx);
        const moved = await t.referencedBy('parent_v2');
        expect(moved.map(fk => [fk.name, fk.table, fk.columns]).sort()).toEqual(
          [
            ['child_ab', 'parent_v2', ['a_key', 'b']],
            ['child_parent', 'parent_v2', ['id']],
          ],
        );
        await t.knex('parent').insert({ id: 1000, a: 1000, b: 7 });
        await t.knex('child').insert({ id: 1000, pid: 1000, x: 1000, y: 7 });
        await expect(
          t.knex('child').insert({ id: 1001, x: 999, y: 7 }),
        ).rejects.toThrow();
      } finally {
        await t.tearDown();
      }
    },
  );
});
