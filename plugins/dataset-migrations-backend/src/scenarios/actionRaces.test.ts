import {
  mockCredentials,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import type { Knex } from 'knex';
import type { ConnectionConfig } from '../config/DatasetMigrationsConfig';
import { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { firstRow } from '../dialects/rawRows';
import { backupTableName } from '../dialects/names';
import { engineConnection } from '../__testUtils__/engineConnections';
import { planFor } from '../__testUtils__/planFor';
import { rule } from '../__testUtils__/rule';
import { seedItems } from '../__testUtils__/seedItems';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { testStore, createTestMigration } from '../__testUtils__/testStore';
import { testRunner, driveMigration } from '../__testUtils__/testRunner';
import { testMigrationService } from '../__testUtils__/testService';

jest.setTimeout(120_000);

const ROWS = 1_000;
const owner = mockCredentials.user('user:default/owner');
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Actions that race the executor, on PostgreSQL and MariaDB (the plugin's own state on
 * the same engine as the dataset): each is a compare-and-set on the stored status, so
 * it either takes effect before the executor moves on or is refused with a reason.
 */
describe('actions racing the executor', () => {
  const databases = createTestDatabases();
  const serverIds = databases
    .eachSupportedId()
    .map(([id]) => id)
    .filter(id => id !== 'SQLITE_3');

  async function setUp(id: TestDatabaseId, maxAttempts = 5) {
    const { store } = await testStore(await databases.init(id));
    const registry = new ConnectionRegistry(
      new Map<string, ConnectionConfig>([
        ['src', await engineConnection(databases, id, 'src')],
      ]),
    );
    const knex = registry.get('src');
    await seedItems(knex, ROWS);
    const plan = await planFor(
      registry,
      { connection: 'src', table: 'items' },
      [rule({ name: 'v2', target: { table: '{table}_v2' } })],
    );
    expect(plan.compatibility).toBe('view');
    const runner = testRunner(store, registry, { maxAttempts });
    const service = testMigrationService(store, registry);
    const created = await createTestMigration(
      store,
      plan,
      'user:default/owner',
    );
    const drive = async () =>
      runner.run(
        (await store.getMigration(created.id))!,
        'worker',
        new AbortController().signal,
      );
    expect((await driveMigration(runner, store, created.id)).status).toBe(
      'awaiting_cleanup',
    );
    const statusOf = async () => (await store.getMigration(created.id))!.status;
    const count = async (table: string) =>
      Number(firstRow(await knex.raw(`SELECT COUNT(*) AS n FROM ${table}`))!.n);
    return {
      id: created.id,
      store,
      service,
      registry,
      knex,
      drive,
      statusOf,
      count,
      tearDown: () => registry.destroy(),
    };
  }

  /** Opens a transaction that has read the compatibility view and keeps it open. */
  async function holdReader(knex: Knex) {
    let release!: () => void;
    const released = new Promise<void>(r => {
      release = r;
    });
    let hasRead!: () => void;
    const read = new Promise<void>(r => {
      hasRead = r;
    });
    const done = knex.transaction(async trx => {
      await trx.raw('SELECT COUNT(*) FROM items');
      hasRead();
      await released;
    });
    await read;
    return async () => {
      release();
      await done;
    };
  }

  it.each(serverIds)(
    '%s: a rollback that arrives while cleanup waits on a reader is refused, and nothing is lost',
    async id => {
      const t = await setUp(id);
      try {
        const releaseReader = await holdReader(t.knex);
        await t.service.act(t.id, 'finalize', owner);
        expect(await t.statusOf()).toBe('cleaning_up');
        // Cleanup runs and waits for the reader's lock on the view.
        const cleanup = t.drive();
        await sleep(300);

        const rollback = t.service.act(t.id, 'rollback', owner);
        await expect(rollback).rejects.toThrow(ConflictError);
        await expect(rollback).rejects.toThrow(/cleanup has begun/);

        await releaseReader();
        await cleanup;
        for (let i = 0; i < 20 && (await t.statusOf()) === 'cleaning_up'; i++) {
          await t.drive(); // a lock-timeout attempt is retried
        }
        expect(await t.statusOf()).toBe('completed');
        expect(await t.count('items_v2')).toBe(ROWS);
        const events = await t.store.listEvents(t.id);
        expect(events.map(e => e.message).join('\n')).not.toMatch(
          /Rolled back/,
        );
      } finally {
        await t.tearDown();
      }
    },
  );

  it.each(serverIds)(
    '%s: concurrent finalize and rollback: exactly one wins',
    async id => {
      const t = await setUp(id);
      try {
        const results = await Promise.allSettled([
          t.service.act(t.id, 'rollback', owner),
          t.service.act(t.id, 'finalize', owner),
          t.service.act(t.id, 'rollback', owner),
          t.service.act(t.id, 'finalize', owner),
        ]);
        const won = results.filter(r => r.status === 'fulfilled');
        expect(won).toHaveLength(1);
        const refusals = results.flatMap(r =>
          r.status === 'rejected' ? [r.reason] : [],
        );
        expect(refusals).toHaveLength(3);
        expect(refusals.every(e => e instanceof ConflictError)).toBe(true);
        for (let i = 0; i < 20; i++) {
          const status = await t.statusOf();
          if (status !== 'rolling_back' && status !== 'cleaning_up') break;
          await t.drive();
        }
        const status = await t.statusOf();
        expect(['rolled_back', 'completed']).toContain(status);
        // Whichever won, every row is at the name readers use afterwards.
        expect(
          await t.count(status === 'rolled_back' ? 'items' : 'items_v2'),
        ).toBe(ROWS);
      } finally {
        await t.tearDown();
      }
    },
  );

  it.each(serverIds)(
    '%s: a cleanup that cannot drop the backup stops at cleanup_failed after its attempts, and finalize tries again',
    async id => {
      const t = await setUp(id, 3);
      const backup = backupTableName('items');
      try {
        // Something the migration did not make depends on the backup.
        await t.knex.raw(
          `CREATE TABLE pins (id integer PRIMARY KEY, item_id integer REFERENCES ${backup} (id))`,
        );
        await t.service.act(t.id, 'finalize', owner);
        for (let i = 0; i < 10 && (await t.statusOf()) === 'cleaning_up'; i++) {
          await t.drive();
        }
        const stuck = (await t.store.getMigration(t.id))!;
        expect(stuck.status).toBe('cleanup_failed');
        expect(stuck.error).toMatch(/Gave up after 3 attempts/);
        expect(stuck.error).toMatch(/finalize again/);
        expect(stuck.steps.find(s => s.name === 'cleanup')!.attempts).toBe(3);
        expect(await t.store.countEvents(t.id, 'step.retry', 'cleanup')).toBe(
          2,
        );
        // Nothing runs it again by itself: the status waits for a person.
        await t.drive();
        expect(await t.statusOf()).toBe('cleanup_failed');
        await expect(t.service.act(t.id, 'rollback', owner)).rejects.toThrow(
          ConflictError,
        );
        expect(await t.count('items_v2')).toBe(ROWS);

        await t.knex.raw('DROP TABLE pins');
        await t.service.act(t.id, 'finalize', owner);
        await t.drive();
        expect(await t.statusOf()).toBe('completed');
        expect(await t.count('items_v2')).toBe(ROWS);
      } finally {
        await t.tearDown();
      }
    },
  );

  it.each(serverIds)(
    '%s: rollback after writes through the compatibility view is refused, at the API and in the undo',
    async id => {
      const t = await setUp(id);
      try {
        // A write through the view lands in the new table: rollback would drop it.
        await t.knex('items').insert({ id: 1, label: 'through the view' });
        const refused = t.service.act(t.id, 'rollback', owner);
        await expect(refused).rejects.toThrow(ConflictError);
        await expect(refused).rejects.toThrow(/1 write went to the new table/);
        expect(await t.statusOf()).toBe('awaiting_cleanup');

        // Emptied on purpose (the owner carried it back), rollback is accepted; a
        // write that slips in before the undo makes the undo refuse, and the
        // migration stays cut over with the reason.
        await t.knex.raw('DELETE FROM dm_cw_items_v2');
        await t.service.act(t.id, 'rollback', owner);
        await t.knex('items').where({ id: 2 }).update({ label: 'late write' });
        await t.drive();
        const kept = (await t.store.getMigration(t.id))!;
        expect(kept.status).toBe('awaiting_cleanup');
        expect(kept.error).toMatch(/Rollback of .* refused; it stays cut over/);
        expect(kept.steps.find(s => s.name === 'cutover')!.status).toBe(
          'succeeded',
        );
        expect(await t.count('items_v2')).toBe(ROWS + 1);
        const late = await t.knex('items').where({ id: 2 }).first();
        expect(late.label).toBe('late write');
        // It waits for an owner: no worker claims it to clean up by itself.
        expect(
          await t.store.claimMigration('worker-x', 60_000),
        ).toBeUndefined();
      } finally {
        await t.tearDown();
      }
    },
  );
});
