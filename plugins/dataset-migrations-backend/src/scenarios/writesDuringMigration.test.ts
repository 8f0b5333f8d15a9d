import { type TestDatabaseId } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { sqliteThreadClient } from '../connections/sqliteThreadClient';
import type { MigrationRecord } from '../store/MigrationStore';
import { moveConnections } from '../__testUtils__/engineConnections';
import { itemRows, seedItems } from '../__testUtils__/seedItems';
import { planMove } from '../__testUtils__/planFor';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { testStore, createTestMigration } from '../__testUtils__/testStore';
import { testRunner, driveMigration } from '../__testUtils__/testRunner';

jest.setTimeout(240_000);

const ROWS = 40_000;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * A whole migration through the runner while an application keeps writing to the
 * source on its own connection, as fast as it can, until the migration is cut over:
 * inserts, updates, deletes and key changes land before, during and after the copy,
 * and are refused only once catch-up froze the source.
 */
describe('writes while a migration runs', () => {
  const databases = createTestDatabases();

  it.each<[TestDatabaseId, TestDatabaseId]>([
    ['SQLITE_3', 'POSTGRES_15'],
    ['POSTGRES_15', 'POSTGRES_15'],
    ['MYSQL_8', 'POSTGRES_15'],
  ])(
    '%s -> %s: after cutover the target equals the source, no write lost',
    async (sourceId, targetId) => {
      const registry = await moveConnections(databases, sourceId, targetId);
      const source = registry.config('src');
      // The application's own pool, apart from the migration's. On SQLite it waits for
      // the migration's locks on a thread of its own, as another process would: on the
      // test's main thread, a synchronous wait would also stop the migration (whose
      // connection is on a thread) from moving on to release them.
      const app = knexFactory({
        client:
          source.client === 'better-sqlite3'
            ? sqliteThreadClient()
            : source.client,
        connection: source.connection as Knex.StaticConnectionConfig,
        useNullAsDefault: true,
      });
      const { store, destroy: closeStore } = await testStore();
      try {
        await seedItems(app, ROWS);
        const plan = await planMove(
          registry,
          { connection: 'src', table: 'items' },
          { connection: 'dst', table: '{table}_moved' },
        );
        const runner = testRunner(store, registry);
        const created = await createTestMigration(store, plan);

        let isRunning = true;
        const counts = { applied: 0, duringCopy: 0, refused: 0 };
        // The n-th write: an insert, an update, a delete, a key change or a gap filled.
        const write = (n: number) => {
          const id = 2 * (1 + ((n * 7919) % ROWS));
          switch (n % 5) {
            case 0:
              return app('items').insert({
                id: 2 * ROWS + n,
                label: `new-${n}`,
              });
            case 1:
              return app('items')
                .where({ id })
                .update({ label: `upd-${n}`, qty: n });
            case 2:
              return app('items').where({ id }).delete();
            case 3:
              return app('items')
                .where({ id })
                .update({ id: 10 * ROWS + n });
            default:
              return app('items')
                .insert({ id: id + 1, label: `gap-${n}`, qty: null })
                .onConflict('id')
                .ignore();
          }
        };
        const writer = (async () => {
          for (let n = 1; isRunning; n++) {
            try {
              await write(n);
              counts.applied++;
              const copy = (await store.getMigration(created.id))!.steps.find(
                s => s.name === 'copy',
              )!;
              if (copy.status === 'running') counts.duringCopy++;
            } catch (e) {
              // Frozen by catch-up until cutover: the application retries later.
              if (!/paused|Read-only/.test(String(e))) throw e;
              counts.refused++;
              await sleep(10);
            }
            // Leave the migration its share of the database: SQLite's locks are not
            // fair, and a writer on its own thread that never pauses can starve the
            // migration's DDL (busy for every attempt of provision, seen on a loaded
            // machine). Applications pause between writes; so does this one.
            await sleep(1);
          }
        })();

        let migration: MigrationRecord;
        try {
          migration = await driveMigration(runner, store, created.id, {
            maxRuns: 50,
          });
        } finally {
          isRunning = false;
          await writer;
        }
        expect(migration.error).toBeNull();
        expect(migration.status).toBe('awaiting_cleanup');
        expect(counts.duringCopy).toBeGreaterThan(0);
        expect(counts.refused).toBeGreaterThan(0);

        const final = await itemRows(app, 'items');
        expect(await itemRows(registry.get('dst'), 'items_moved')).toEqual(
          final,
        );
      } finally {
        await app.destroy();
        await closeStore();
        await registry.destroy();
      }
    },
  );
});
