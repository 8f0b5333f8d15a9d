import type {
  MigrationStatus,
  Plan,
  PlanTarget,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { createTestMigration, testStore } from '../__testUtils__/testStore';
import { followMoves } from '../newHome/followMoves';
import type { KnexMigrationStore } from './KnexMigrationStore';

jest.setTimeout(60_000);

const DATASET = 'resource:default/page-views';
const MIGRATIONS_DIR = `${__dirname}/../../migrations`;

const move = (from: string, to: string): Plan =>
  ({
    hash: `hash-${from}-${to}`,
    entityRef: DATASET,
    agent: { id: 'sql', version: '1.0.0' },
    source: {
      connection: 'warehouse',
      schema: 'public',
      table: from,
    } as TableSchema,
    target: {
      connection: 'warehouse',
      schema: 'public',
      table: to,
    } as PlanTarget,
  } as Plan);

/** The lifecycle a finalized migration goes through, each step a guarded change. */
const TO_COMPLETED: Array<[MigrationStatus, MigrationStatus]> = [
  ['queued', 'running'],
  ['running', 'awaiting_cleanup'],
  ['awaiting_cleanup', 'cleaning_up'],
  ['cleaning_up', 'completed'],
];

async function complete(store: KnexMigrationStore, plan: Plan) {
  const { id } = await createTestMigration(store, plan);
  for (const [from, to] of TO_COMPLETED) {
    expect(await store.setStatus(id, to, { expected: [from] })).toBe(true);
  }
  return id;
}

describe('KnexMigrationStore completed moves', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', id => {
    it('finds the new home through completed migrations only, in the order they completed', async () => {
      const { store } = await testStore(await databases.init(id));
      const first = await complete(store, move('PageViews', 'page_views'));
      // Rolled back and still running ones moved nothing.
      const rolledBack = await createTestMigration(
        store,
        move('page_views', 'pv_rolled_back'),
      );
      await store.setStatus(rolledBack.id, 'running', { expected: ['queued'] });
      await store.setStatus(rolledBack.id, 'rolling_back', {
        expected: ['running'],
      });
      await store.setStatus(rolledBack.id, 'rolled_back', {
        expected: ['rolling_back'],
      });
      const second = await complete(
        store,
        move('page_views', 'page_view_events'),
      );
      await createTestMigration(store, move('page_view_events', 'pv_next'));
      // Another dataset's migrations are not this one's.
      await complete(store, {
        ...move('orders', 'orders_v2'),
        entityRef: 'resource:default/orders',
      });

      const moves = await store.listCompletedMoves(DATASET);
      expect(moves).toEqual([
        {
          migrationId: first,
          source: 'warehouse:public.PageViews',
          target: 'warehouse:public.page_views',
          completedAt: expect.any(String),
        },
        {
          migrationId: second,
          source: 'warehouse:public.page_views',
          target: 'warehouse:public.page_view_events',
          completedAt: expect.any(String),
        },
      ]);
      // The catalog still names the first table, spelled without its schema.
      expect(followMoves('warehouse:PageViews', moves)).toEqual({
        movedFrom: 'warehouse:PageViews',
        location: 'warehouse:public.page_view_events',
        migrationId: second,
        movedAt: moves[1].completedAt,
      });
      expect(followMoves('warehouse:public.page_view_events', moves)).toBe(
        undefined,
      );
      const listed = await store.listMigrations({ entityRef: DATASET });
      expect(listed.items.find(m => m.id === second)).toMatchObject({
        source: 'warehouse:public.page_views',
        target: 'warehouse:public.page_view_events',
      });
    });

    it('fills source and target of migrations made before the columns existed', async () => {
      const { store, knex } = await testStore(await databases.init(id));
      const made = await complete(store, move('clicks', 'click_events'));
      const name = '20261201000000_table_refs.js';
      await knex.migrate.down({ directory: MIGRATIONS_DIR, name });
      expect(await knex.schema.hasColumn('dm_migrations', 'source_ref')).toBe(
        false,
      );
      await knex.migrate.up({ directory: MIGRATIONS_DIR, name });
      expect(await store.getMigration(made)).toMatchObject({
        source: 'warehouse:public.clicks',
        target: 'warehouse:public.click_events',
      });
    });
  });
});
