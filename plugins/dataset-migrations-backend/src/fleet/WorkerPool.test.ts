/* eslint-disable jest/no-standalone-expect -- tests run through `itOn`, which is `it`
   whenever the engine is available (always under CI=true). */
import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import type { FleetInstance } from '@internal/backstage-plugin-dataset-migrations-common';
import { planFor } from '../__testUtils__/planFor';
import { createTestDatabases, itOn } from '../__testUtils__/testDatabases';
import {
  testConnections,
  TestConnections,
} from '../__testUtils__/testConnections';
import { testRunner, testSettings } from '../__testUtils__/testRunner';
import {
  createTestMigration,
  testStore,
  TestStore,
} from '../__testUtils__/testStore';
import type { MigrationStore } from '../store/MigrationStore';
import { WorkerPool } from './WorkerPool';

jest.setTimeout(120_000);

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const ENGINES: TestDatabaseId[] = ['SQLITE_3', 'POSTGRES_15'];

/** Polls `read` until `isDone` holds, for at most `seconds`; returns the last value. */
async function eventually<T>(
  read: () => Promise<T>,
  isDone: (value: T) => boolean,
  seconds = 30,
): Promise<T> {
  let value = await read();
  for (let i = 0; i < seconds * 20 && !isDone(value); i++) {
    await sleep(50);
    value = await read();
  }
  return value;
}

/**
 * The store, but its first `claimMigration` throws as a dropped connection would: an
 * error outside any step, which escapes the worker's loop.
 */
function claimFailsOnce(store: MigrationStore) {
  const calls = { claims: 0 };
  const faulty: MigrationStore = Object.create(store);
  faulty.claimMigration = async (workerId, leaseMs) => {
    calls.claims++;
    if (calls.claims === 1) {
      throw new Error('Connection terminated unexpectedly');
    }
    return store.claimMigration(workerId, leaseMs);
  };
  return { faulty, calls };
}

describe('WorkerPool', () => {
  const databases = createTestDatabases();
  let plugin: TestStore | undefined;
  let datasets: TestConnections | undefined;
  const pools: WorkerPool[] = [];

  afterEach(async () => {
    await Promise.all(pools.map(p => p.stop()));
    pools.length = 0;
    await datasets?.destroy();
    await plugin?.destroy();
    datasets = undefined;
    plugin = undefined;
  });

  describe.each(ENGINES)('on %s', id => {
    itOn(databases, id)(
      'restarts a worker loop that crashed, counts the restart, and the slot runs migrations again',
      async () => {
        plugin = await testStore(await databases.init(id));
        const { store } = plugin;
        datasets = await testConnections(databases, id);
        await datasets.knex().schema.createTable('orders', t => {
          t.integer('id').primary();
          t.string('item', 40).notNullable();
        });
        await datasets
          .knex()
          .insert(
            Array.from({ length: 50 }, (_, i) => ({
              id: i + 1,
              item: `i${i}`,
            })),
          )
          .into('orders');
        const plan = await planFor(
          datasets.registry,
          { connection: 'source', table: 'orders' },
          [
            {
              name: 'move',
              match: {},
              allowDestructive: false,
              computed: [],
              target: { connection: 'target', table: '{table}_new' },
            },
          ],
        );
        expect(plan.preflight?.status).toBe('passed');

        const { faulty, calls } = claimFailsOnce(store);
        const logger = mockServices.logger.mock();
        const settings = testSettings({
          workerSlots: 1,
          leaseMs: 1_000,
          pollIntervalMs: 50,
          cleanupGraceMs: 3_600_000,
        });
        const pool = new WorkerPool({
          store: faulty,
          runner: testRunner(store, datasets.registry, settings),
          settings,
          logger,
          agentVersions: ['sql@1.3.0'],
        });
        pools.push(pool);
        pool.start();

        const lostBefore = () => new Date(Date.now() - 1_000);
        const restarted = await eventually(
          () => store.listInstances(lostBefore()),
          instances =>
            instances[0]?.workers[0]?.restarts === 1 && calls.claims > 1,
        );
        expect(restarted).toHaveLength(1);
        expect(restarted[0]).toMatchObject({
          status: 'alive',
          workerSlots: 1,
          agentVersions: ['sql@1.3.0'],
        });
        expect(restarted[0].workers[0]).toMatchObject({
          restarts: 1,
          lastError: 'Connection terminated unexpectedly',
        });
        expect(restarted[0].workers[0].lastRestartAt).not.toBeNull();
        expect(logger.error).toHaveBeenCalledWith(
          expect.stringMatching(
            /crashed and restarts in \d+ ms: Connection terminated unexpectedly/,
          ),
          expect.anything(),
        );

        // The restarted loop is a working slot: it runs a migration to the end.
        const migration = await createTestMigration(store, plan);
        pool.notify();
        const done = await eventually(
          async () => (await store.getMigration(migration.id))!,
          m => m.status === 'awaiting_cleanup',
          60,
        );
        expect(done.status).toBe('awaiting_cleanup');
        const copied = await datasets.knex()('orders_new').count({ n: '*' });
        expect(Number(copied[0].n)).toBe(50);
        // Idle again once its next poll finds nothing, the restart still counted.
        const after = await eventually(
          () => store.listInstances(lostBefore()),
          instances => instances[0].workers[0].state === 'idle',
        );
        expect(after[0].workers[0]).toMatchObject({
          restarts: 1,
          state: 'idle',
        });
      },
    );

    itOn(databases, id)(
      'shows an instance that stopped heartbeating as lost, and reclaims its lease',
      async () => {
        plugin = await testStore(await databases.init(id));
        const { store } = plugin;
        datasets = await testConnections(databases, id);
        await datasets.knex().schema.createTable('orders', t => {
          t.integer('id').primary();
        });
        const plan = await planFor(
          datasets.registry,
          { connection: 'source', table: 'orders' },
          [
            {
              name: 'move',
              match: {},
              allowDestructive: false,
              computed: [],
              target: { connection: 'target', table: '{table}_new' },
            },
          ],
        );
        // What a killed instance leaves behind: its rows, and a lease on a migration
        // that is good for a minute more.
        const gone = 'gone-host:4242:deadbeef';
        await store.heartbeatInstance({
          id: gone,
          host: 'gone-host',
          pid: 4242,
          workerSlots: 1,
          agentVersions: ['sql@1.3.0'],
        });
        await store.registerWorker({
          id: `${gone}/0`,
          instanceId: gone,
          agentVersions: ['sql@1.3.0'],
        });
        const migration = await createTestMigration(store, plan);
        expect((await store.claimMigration(`${gone}/0`, 60_000))?.id).toBe(
          migration.id,
        );
        await store.heartbeatWorker(`${gone}/0`, {
          migrationId: migration.id,
          step: 'preflight',
        });

        // A surviving instance with no worker slots: it heartbeats and sweeps only,
        // so nothing but the sweep can free the lease.
        const settings = testSettings({
          workerSlots: 0,
          leaseMs: 600,
          pollIntervalMs: 50,
        });
        const survivor = new WorkerPool({
          store,
          runner: testRunner(store, datasets.registry, settings),
          settings,
          logger: mockServices.logger.mock(),
          agentVersions: ['sql@1.3.0'],
        });
        pools.push(survivor);
        const lostBefore = () => new Date(Date.now() - 600);
        const byId = (instances: FleetInstance[]) =>
          instances.find(i => i.id === gone);
        expect(byId(await store.listInstances(lostBefore()))).toMatchObject({
          status: 'alive',
          leasesHeld: 1,
        });
        survivor.start();

        const fleet = await eventually(
          () => store.listInstances(lostBefore()),
          instances =>
            byId(instances)?.lostAt !== null &&
            byId(instances)?.leasesHeld === 0,
        );
        expect(byId(fleet)).toMatchObject({
          status: 'lost',
          leasesHeld: 0,
          lostAt: expect.any(String),
        });
        expect(byId(fleet)!.heartbeatAgeMs).toBeGreaterThanOrEqual(600);
        expect(byId(fleet)!.workers).toEqual([
          expect.objectContaining({
            id: `${gone}/0`,
            state: 'lost',
            currentEntityRef: migration.entityRef,
          }),
        ]);
        const alive = fleet.filter(i => i.id !== gone);
        expect(alive).toEqual([
          expect.objectContaining({ status: 'alive', workerSlots: 0 }),
        ]);
        expect((await store.getMigration(migration.id))!.leaseOwner).toBeNull();

        // A clean stop leaves the fleet at once instead of showing as lost.
        await survivor.stop();
        pools.length = 0;
        expect(
          (await store.listInstances(lostBefore())).map(i => i.id),
        ).toEqual([gone]);
      },
    );
  });
});
