/* eslint-disable jest/no-standalone-expect -- the PostgreSQL test runs through `itOnPostgres`, which
   wraps `it` */
import { ConflictError } from '@backstage/errors';
import type {
  Plan,
  PlanTarget,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { createTestDatabases, itOn } from '../__testUtils__/testDatabases';
import { createTestMigration, testStore } from '../__testUtils__/testStore';

jest.setTimeout(60_000);

/** What the store reads of a plan: where it moves from and to, and who made it. */
function planOf(
  entityRef: string,
  source: string,
  target: string,
  connection = 'warehouse',
): Plan {
  const [schema, table] = source.split('/');
  const [targetSchema, targetTable] = target.split('/');
  return {
    hash: `hash-${entityRef}`,
    entityRef,
    agent: { id: 'sql', version: '1.0.0' },
    source: { connection, schema, table } as TableSchema,
    target: {
      connection,
      schema: targetSchema,
      table: targetTable,
    } as PlanTarget,
  } as Plan;
}

describe('KnexMigrationStore', () => {
  const databases = createTestDatabases();

  const storeOn = async (id: Parameters<typeof databases.init>[0]) =>
    testStore(await databases.init(id));

  describe.each(databases.eachSupportedId())('on %p', id => {
    it('creates a migration with its steps, tables, event and campaign link at once, or nothing', async () => {
      const { store, knex } = await storeOn(id);
      const refused = createTestMigration(
        store,
        planOf('resource:default/orders', 'public/orders', 'public/orders_v2'),
        // NOT NULL in dm_migrations: the insert fails after the held tables' insert.
        null as never,
      );
      await expect(refused).rejects.toThrow();
      for (const table of [
        'dm_active_tables',
        'dm_migrations',
        'dm_steps',
        'dm_events',
      ]) {
        const [{ n }] = await knex(table).count({ n: '*' });
        expect([table, Number(n)]).toEqual([table, 0]);
      }
      const m = await createTestMigration(
        store,
        planOf('resource:default/orders', 'public/orders', 'public/orders_v2'),
      );
      const read = (await store.getMigration(m.id))!;
      expect(read.status).toBe('queued');
      expect(read.steps.map(s => s.status)).toEqual(
        read.steps.map(() => 'pending'),
      );
      expect(await store.countEvents(m.id, 'created')).toBe(1);
    });

    it('lets one active migration hold a physical table, whichever entity names it', async () => {
      const { store } = await storeOn(id);
      const first = await createTestMigration(
        store,
        planOf('resource:default/events', 'public/events', 'public/events_v2'),
      );

      // A second entity whose location names the same table (spelled in another case).
      const sameSource = createTestMigration(
        store,
        planOf('resource:default/events-copy', 'public/Events', 'public/other'),
      );
      await expect(sameSource).rejects.toThrow(ConflictError);
      await expect(sameSource).rejects.toThrow(
        /source table warehouse:public\.events is already being migrated for resource:default\/events/,
      );
      // Another dataset whose target is the first one's target.
      await expect(
        createTestMigration(
          store,
          planOf(
            'resource:default/clicks',
            'public/clicks',
            'public/events_v2',
          ),
        ),
      ).rejects.toThrow(/target table warehouse:public\.events_v2/);
      // Another dataset moving into the first one's source.
      await expect(
        createTestMigration(
          store,
          planOf('resource:default/views', 'public/views', 'public/events'),
        ),
      ).rejects.toThrow(ConflictError);
      // The same table on another connection is another table.
      await createTestMigration(
        store,
        planOf('resource:default/e2', 'public/events', 'public/e2', 'archive'),
      );

      // Once the first is final its tables are free, and it cannot take them back
      // while the newcomer holds them.
      expect(
        await store.setStatus(first.id, 'cancelled', { expected: ['queued'] }),
      ).toBe(true);
      const second = await createTestMigration(
        store,
        planOf('resource:default/events-copy', 'public/events', 'public/other'),
      );
      await expect(store.requeue(first.id)).rejects.toThrow(
        /already being migrated for resource:default\/events-copy/,
      );
      expect((await store.getMigration(first.id))!.status).toBe('cancelled');
      await store.setStatus(second.id, 'cancelled', { expected: ['queued'] });
      expect(await store.requeue(first.id)).toBe(true);
      expect((await store.getMigration(first.id))!.status).toBe('queued');
    });

    it('changes a status only from the expected ones, with its event, and only along the state machine', async () => {
      const { store } = await storeOn(id);
      const m = await createTestMigration(
        store,
        planOf('resource:default/a', 'public/a', 'public/a_v2'),
      );
      const event = { type: 'status' as const, message: 'moved on' };
      expect(
        await store.setStatus(m.id, 'rolling_back', {
          expected: ['running'],
          event,
        }),
      ).toBe(false);
      expect(
        (await store.listEvents(m.id)).filter(e => e.message === 'moved on'),
      ).toHaveLength(0);
      expect(
        await store.setStatus(m.id, 'running', { expected: ['queued'], event }),
      ).toBe(true);
      expect(
        (await store.listEvents(m.id)).filter(e => e.message === 'moved on'),
      ).toHaveLength(1);
      await expect(
        store.setStatus(m.id, 'completed', { expected: ['running'] }),
      ).rejects.toThrow(/no transition from running to completed/);
      expect((await store.getMigration(m.id))!.status).toBe('running');
    });

    it('says which event a status change wrote, and none when nothing changed', async () => {
      const { store } = await storeOn(id);
      const m = await createTestMigration(
        store,
        planOf('resource:default/se', 'public/se', 'public/se_v2'),
      );
      const start = () =>
        store.setStatusWithEvent(m.id, 'running', {
          expected: ['queued'],
          event: { type: 'status', message: 'Started' },
        });
      const started = await start();
      const [written] = (await store.listEvents(m.id, 0, 500)).filter(
        e => e.type === 'status',
      );
      expect(started).toEqual({ changed: true, eventId: written.id });
      expect(await start()).toEqual({ changed: false });
      expect(
        await store.setStatusWithEvent(m.id, 'awaiting_cleanup', {
          expected: ['running'],
        }),
      ).toEqual({ changed: true });
    });

    it('writes a step update and its event together, or neither', async () => {
      const { store } = await storeOn(id);
      const m = await createTestMigration(
        store,
        planOf('resource:default/s', 'public/s', 'public/s_v2'),
      );
      const eventId = await store.updateStep(
        m.id,
        'copy',
        { status: 'succeeded' },
        { type: 'step.succeeded', step: 'copy', message: 'copy succeeded' },
      );
      const copy = async () =>
        (await store.getMigration(m.id))!.steps.find(s => s.name === 'copy')!;
      expect((await copy()).status).toBe('succeeded');
      expect(await store.countEvents(m.id, 'step.succeeded', 'copy')).toBe(1);
      // It returns the new event's id (what signals announce).
      expect(eventId).toBe(
        (await store.lastEventOf(m.id, ['step.succeeded']))!.id,
      );
      // Without an event: the step changes, the migration's updated_at moves on.
      const before = (await store.getMigration(m.id))!.updatedAt;
      await new Promise(r => setTimeout(r, 5));
      expect(
        await store.updateStep(m.id, 'verify', {
          progress: { done: 3, total: 9, unit: 'rows' },
        }),
      ).toBeUndefined();
      const verify = (await store.getMigration(m.id))!;
      expect(verify.steps.find(s => s.name === 'verify')!.progress).toEqual(
        expect.objectContaining({ done: 3, total: 9, unit: 'rows' }),
      );
      expect(Date.parse(verify.updatedAt)).toBeGreaterThan(Date.parse(before));
      // An event the database refuses (NOT NULL type): the step must not change either.
      const failing = store.updateStep(
        m.id,
        'verify',
        { status: 'succeeded' },
        { type: null as never, step: 'verify', message: 'verify succeeded' },
      );
      await expect(failing).rejects.toThrow();
      expect(
        (await store.getMigration(m.id))!.steps.find(s => s.name === 'verify')!
          .status,
      ).toBe('pending');
    });

    it('writes a step boundary (one step ends, the next starts) with both events in order, or nothing', async () => {
      const { store } = await storeOn(id);
      const m = await createTestMigration(
        store,
        planOf('resource:default/sb', 'public/sb', 'public/sb_v2'),
      );
      const eventId = await store.updateStepsAtBoundary(
        m.id,
        {
          step: 'copy',
          update: { status: 'succeeded', finishedAt: new Date() },
          event: { type: 'step.succeeded', step: 'copy', message: 'copy ok' },
        },
        {
          step: 'catch-up',
          update: { status: 'running', attempts: 1, startedAt: new Date() },
          event: { type: 'step.started', step: 'catch-up', message: 'go' },
        },
      );
      const steps = (await store.getMigration(m.id))!.steps;
      expect(steps.find(s => s.name === 'copy')!.status).toBe('succeeded');
      expect(steps.find(s => s.name === 'catch-up')).toEqual(
        expect.objectContaining({ status: 'running', attempts: 1 }),
      );
      const events = (await store.listEvents(m.id)).filter(e =>
        ['copy ok', 'go'].includes(e.message),
      );
      expect(events.map(e => e.message)).toEqual(['copy ok', 'go']);
      // It returns the last event's id (what signals announce).
      expect(eventId).toBe(events[1].id);
      // An event the database refuses: neither step changes.
      const failing = store.updateStepsAtBoundary(
        m.id,
        {
          step: 'catch-up',
          update: { status: 'succeeded' },
          event: { type: 'step.succeeded', step: 'catch-up', message: 'ok' },
        },
        {
          step: 'verify',
          update: { status: 'running' },
          event: { type: null as never, step: 'verify', message: 'go' },
        },
      );
      await expect(failing).rejects.toThrow();
      const after = (await store.getMigration(m.id))!.steps;
      expect(after.find(s => s.name === 'catch-up')!.status).toBe('running');
      expect(after.find(s => s.name === 'verify')!.status).toBe('pending');
    });

    it('lets exactly one of racing transitions win', async () => {
      const { store } = await storeOn(id);
      const m = await createTestMigration(
        store,
        planOf('resource:default/b', 'public/b', 'public/b_v2'),
      );
      await store.setStatus(m.id, 'running', { expected: ['queued'] });
      await store.setStatus(m.id, 'awaiting_cleanup', {
        expected: ['running'],
      });
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.setStatus(m.id, i % 2 ? 'cleaning_up' : 'rolling_back', {
            expected: ['awaiting_cleanup'],
            event: { type: 'status', message: `contender ${i}` },
          }),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(
        (await store.listEvents(m.id)).filter(e =>
          e.message.startsWith('contender'),
        ),
      ).toHaveLength(1);
    });

    it('frees the leases of workers whose heartbeat stopped, and of an earlier self', async () => {
      const { knex, store } = await storeOn(id);
      for (const [table, instance] of [
        ['c', 'host:1:aaaa'],
        ['d', 'host:2:bbbb'],
        ['e', 'host:3:cccc'],
      ]) {
        await createTestMigration(
          store,
          planOf(
            `resource:default/${table}`,
            `public/${table}`,
            `public/${table}_v2`,
          ),
        );
        await store.registerWorker({
          id: `${instance}/0`,
          instanceId: instance,
          agentVersions: [],
        });
        expect(
          await store.claimMigration(`${instance}/0`, 60_000),
        ).toBeDefined();
      }
      const owners = async () =>
        (
          await (knex as Knex)('dm_migrations')
            .select('lease_owner')
            .orderBy('entity_ref')
        ).map(r => r.lease_owner);
      expect(await owners()).toEqual([
        'host:1:aaaa/0',
        'host:2:bbbb/0',
        'host:3:cccc/0',
      ]);

      // Worker 1 went silent a minute ago; the others beat just now.
      await (knex as Knex)('dm_workers')
        .where({ id: 'host:1:aaaa/0' })
        .update({ heartbeat_at: new Date(Date.now() - 60_000) });
      expect(await store.releaseLostLeases(new Date(Date.now() - 10_000))).toBe(
        1,
      );
      expect(await owners()).toEqual([null, 'host:2:bbbb/0', 'host:3:cccc/0']);

      // Instance 2 restarted: its leases come back at once, its worker row goes.
      expect(await store.releaseInstanceLeases(['host:2:bbbb'])).toBe(1);
      expect(await owners()).toEqual([null, null, 'host:3:cccc/0']);
      expect((await store.listInstanceIds()).sort()).toEqual([
        'host:1:aaaa',
        'host:3:cccc',
      ]);
      // A live worker is left alone, and a freed migration can be claimed again.
      expect(await store.releaseLostLeases(new Date(Date.now() - 10_000))).toBe(
        0,
      );
      expect(await store.claimMigration('host:3:cccc/0', 60_000)).toBeDefined();
    });
  });

  describe('on PostgreSQL', () => {
    const itOnPostgres = itOn(databases, 'POSTGRES_15');

    itOnPostgres(
      "writes a running migration's progress as heap-only updates: no index entry per write",
      async () => {
        const { store, knex } = await storeOn('POSTGRES_15');
        const m = await createTestMigration(
          store,
          planOf('resource:default/hot', 'public/hot', 'public/hot_v2'),
        );
        const counters = async () => {
          const { rows } = await knex.raw(
            `SELECT n_tup_upd AS upd, n_tup_hot_upd AS hot FROM pg_stat_user_tables
             WHERE relid = 'dm_migrations'::regclass`,
          );
          return { upd: Number(rows[0].upd), hot: Number(rows[0].hot) };
        };
        const before = await counters();
        const writes = 40;
        for (let i = 1; i <= writes; i++) {
          await store.updateStep(m.id, 'copy', {
            progress: { done: i, total: writes, unit: 'rows' },
          });
        }
        // Backends report their counters within about a second of going idle.
        let after = await counters();
        for (
          let waited = 0;
          after.upd - before.upd < writes && waited < 15_000;
          waited += 250
        ) {
          await new Promise(r => setTimeout(r, 250));
          after = await counters();
        }
        expect(after.upd - before.upd).toBeGreaterThanOrEqual(writes);
        // Each write bumps updated_at; an index on it (or a full page) would make
        // every one a new entry in each of the table's indexes.
        expect(after.hot - before.hot).toBeGreaterThanOrEqual(writes * 0.9);
      },
    );
  });
});
