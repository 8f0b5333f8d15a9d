import type {
  MigrationListQuery,
  Plan,
  PlanTarget,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { createTestMigration, testStore } from '../__testUtils__/testStore';
import type { KnexMigrationStore } from './KnexMigrationStore';

jest.setTimeout(60_000);

const planOf = (table: string): Plan =>
  ({
    hash: `hash-${table}`,
    entityRef: `resource:default/${table}`,
    agent: { id: 'sql', version: '1.0.0' },
    source: { connection: 'warehouse', schema: 'public', table } as TableSchema,
    target: {
      connection: 'warehouse',
      schema: 'public',
      table: `${table}_v2`,
    } as PlanTarget,
  } as Plan);

/** Every page of a query, walked with its cursors. */
async function walk(store: KnexMigrationStore, query: MigrationListQuery) {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const result = await store.listMigrations({ ...query, limit: 3, cursor });
    seen.push(...result.items.map(m => m.id));
    if (!result.nextCursor) return seen;
    cursor = result.nextCursor;
  }
  throw new Error('the cursors never ended');
}

// Letters only in the sorted values, so every engine's collation orders them alike;
// few distinct values, so most rows tie and only the id orders them.
const STATUSES = ['queued', 'running', 'completed'];
const CREATORS = ['user:default/bo', 'user:default/ann', 'user:default/cy'];
const TABLES = ['kiwi', 'apple', 'fig', 'date', 'lime', 'cherry', 'banana'];

describe('KnexMigrationStore listMigrations order and search', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', id => {
    it('orders the whole list by each column both ways, and pages through ties without skipping or repeating', async () => {
      const { store, knex } = await testStore(await databases.init(id));
      const same = new Date('2026-11-20T10:00:00.123Z');
      const rows: Array<{ id: string; [k: string]: string }> = [];
      for (let i = 0; i < 14; i++) {
        const m = await createTestMigration(
          store,
          planOf(`${TABLES[i % TABLES.length]}${i < 7 ? '' : 'x'}`),
        );
        const row = {
          id: m.id,
          status: STATUSES[i % 3],
          entityRef: m.entityRef,
          createdBy: CREATORS[i % 2],
          // Half share one instant, the others one millisecond apart.
          createdAt: new Date(
            same.getTime() + (i % 2 ? 0 : i + 1),
          ).toISOString(),
        };
        rows.push(row);
        await knex('dm_migrations')
          .where({ id: m.id })
          .update({
            status: row.status,
            created_by: row.createdBy,
            created_at: new Date(row.createdAt),
          });
      }

      for (const orderBy of [
        'createdAt',
        'status',
        'entityRef',
        'createdBy',
      ] as const) {
        for (const order of ['asc', 'desc'] as const) {
          const sign = order === 'asc' ? 1 : -1;
          const expected = [...rows]
            .sort((a, b) => {
              if (a[orderBy] !== b[orderBy])
                return sign * (a[orderBy] < b[orderBy] ? -1 : 1);
              return sign * (a.id < b.id ? -1 : 1);
            })
            .map(r => r.id);
          const paged = await walk(store, { orderBy, order });
          expect({ orderBy, order, paged }).toEqual({
            orderBy,
            order,
            paged: expected,
          });
        }
      }
      // The default is newest first, as before.
      expect(await walk(store, {})).toEqual(
        await walk(store, { orderBy: 'createdAt', order: 'desc' }),
      );
    });

    it('searches entity refs, creators and statuses in any case, matching % and _ as they are', async () => {
      const { store, knex } = await testStore(await databases.init(id));
      const creators = [
        'user:default/ann',
        'user:default/50%_off',
        'user:default/50xyoff',
        'user:default/a_b',
        'user:default/ab',
        'user:default/wow!',
      ];
      const byCreator: Record<string, string> = {};
      for (const [i, createdBy] of creators.entries()) {
        const m = await createTestMigration(store, planOf(`t${i}`));
        byCreator[createdBy] = m.id;
        await knex('dm_migrations')
          .where({ id: m.id })
          .update({ created_by: createdBy, status: i ? 'queued' : 'running' });
      }
      const found = async (search: string) =>
        (await walk(store, { search, orderBy: 'createdBy', order: 'asc' }))
          .map(mid => creators.find(c => byCreator[c] === mid))
          .sort();

      expect(await found('50%_')).toEqual(['user:default/50%_off']);
      expect(await found('%')).toEqual(['user:default/50%_off']);
      expect(await found('_')).toEqual([
        'user:default/50%_off',
        'user:default/a_b',
      ]);
      expect(await found('!')).toEqual(['user:default/wow!']);
      expect(await found('ANN')).toEqual(['user:default/ann']);
      // The status, in any case.
      expect(await found('RUNN')).toEqual(['user:default/ann']);
      // The entity ref.
      expect(await found('default/T3')).toEqual(['user:default/a_b']);
      expect(await found('nothing like it')).toEqual([]);
      // Search narrows the stats too: they count what the list shows.
      const stats = await store.getStats({ search: 'queued' });
      expect(stats.total).toBe(5);
    });

    it('refuses a cursor made under another order', async () => {
      const { store } = await testStore(await databases.init(id));
      for (let i = 0; i < 3; i++)
        await createTestMigration(store, planOf(`t${i}`));
      const first = await store.listMigrations({ limit: 1, orderBy: 'status' });
      await expect(
        store.listMigrations({
          limit: 1,
          orderBy: 'entityRef',
          cursor: first.nextCursor!,
        }),
      ).rejects.toThrow(
        /cursor was made for orderBy=status&order=desc, not orderBy=entityRef&order=desc; start again without it/,
      );
    });
  });
});
