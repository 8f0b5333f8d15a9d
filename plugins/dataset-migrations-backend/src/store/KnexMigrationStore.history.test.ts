import type {
  Plan,
  PlanTarget,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { createTestMigration, testStore } from '../__testUtils__/testStore';

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

describe('KnexMigrationStore history', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', id => {
    it('pages through migrations that share one created_at without skipping or repeating any', async () => {
      const { store, knex } = await testStore(await databases.init(id));
      const ids: string[] = [];
      for (let i = 0; i < 23; i++) {
        ids.push((await createTestMigration(store, planOf(`t${i}`))).id);
      }
      // One instant for most of them (a campaign queues many in one millisecond), one
      // earlier and one later around them.
      const same = new Date('2026-11-20T10:00:00.123Z');
      await knex('dm_migrations').update({ created_at: same });
      await knex('dm_migrations')
        .where({ id: ids[0] })
        .update({ created_at: new Date(same.getTime() + 1) });
      await knex('dm_migrations')
        .where({ id: ids[1] })
        .update({ created_at: new Date(same.getTime() - 1) });

      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 20; page++) {
        const result = await store.listMigrations({ limit: 4, cursor });
        seen.push(...result.items.map(m => m.id));
        if (!result.nextCursor) break;
        cursor = result.nextCursor;
      }
      expect(seen).toHaveLength(23);
      expect(new Set(seen).size).toBe(23);
      expect(seen[0]).toBe(ids[0]);
      expect(seen[22]).toBe(ids[1]);
      // Within the shared instant: ids descending, as the order promises.
      const middle = seen.slice(1, 22);
      expect(middle).toEqual([...middle].sort().reverse());
    });

    it('counts statuses, the success rate and migrations per UTC day in the database', async () => {
      const { store, knex } = await testStore(await databases.init(id));
      const day = (d: string) => new Date(`${d}Z`);
      const now = Date.now();
      const daysAgo = (n: number, hour: string) =>
        day(
          `${new Date(now - n * 86_400_000)
            .toISOString()
            .slice(0, 10)}T${hour}`,
        );
      const rows: Array<[string, Date]> = [
        ['completed', daysAgo(2, '00:00:00.000')],
        ['completed', daysAgo(2, '23:59:59.999')],
        ['failed', daysAgo(2, '12:00:00.000')],
        ['rolled_back', daysAgo(1, '00:00:00.001')],
        ['queued', daysAgo(0, '00:00:00.000')],
        // Outside the 30-day window of perDay, but counted in the totals.
        ['completed', daysAgo(40, '12:00:00.000')],
        ['rolled_back', daysAgo(40, '13:00:00.000')],
        ['rolled_back', daysAgo(40, '14:00:00.000')],
      ];
      const ids: string[] = [];
      for (const [i, [status, createdAt]] of rows.entries()) {
        const m = await createTestMigration(store, planOf(`s${i}`));
        ids.push(m.id);
        await knex('dm_migrations')
          .where({ id: m.id })
          .update({ status, created_at: createdAt });
      }
      // Who asked: a person for the first (after an aborted rollout's request whose
      // undo was refused), the rollout for the second, a person then the rollout for
      // the third. The latest request decides.
      const rollback = (actor: string) => ({
        type: 'rollback.requested' as const,
        actor,
        message: `rollback requested by ${actor}`,
      });
      await store.appendEvent(ids[3], rollback('rollout'));
      await store.appendEvent(ids[3], rollback('user:default/ana'));
      await store.appendEvent(ids[6], rollback('rollout'));
      await store.appendEvent(ids[7], rollback('user:default/ana'));
      await store.appendEvent(ids[7], rollback('rollout'));
      const stats = await store.getStats({});
      expect(stats.total).toBe(8);
      expect(stats.byStatus).toEqual({
        completed: 3,
        failed: 1,
        rolled_back: 3,
        queued: 1,
      });
      expect(stats.rollbacks).toEqual({ requestedByPerson: 1, automatic: 2 });
      // The person's rollback is neither a success nor a failure.
      expect(stats.successRate).toBe(3 / 6);
      const dayOf = (n: number) =>
        new Date(now - n * 86_400_000).toISOString().slice(0, 10);
      expect(stats.perDay).toEqual([
        { day: dayOf(2), count: 3 },
        { day: dayOf(1), count: 1 },
        { day: dayOf(0), count: 1 },
      ]);
      // A filter that leaves out the person's rollback leaves it out of the count.
      const old = await store.getStats({
        createdBefore: daysAgo(30, '00:00:00.000').toISOString(),
      });
      expect(old.rollbacks).toEqual({ requestedByPerson: 0, automatic: 2 });
      expect(old.successRate).toBe(1 / 3);
      // Filters apply to every aggregate.
      const failed = await store.getStats({ status: 'failed' });
      expect(failed).toEqual({
        total: 1,
        byStatus: { failed: 1 },
        successRate: 0,
        rollbacks: { requestedByPerson: 0, automatic: 0 },
        perDay: [{ day: dayOf(2), count: 1 }],
      });
    });
  });
});
