/* eslint-disable jest/no-standalone-expect -- tests run through `itOnPostgres`, which
   is `it` whenever PostgreSQL is available (always under CI=true). */
import { createTestDatabases, itOn } from '../__testUtils__/testDatabases';
import { testStore } from '../__testUtils__/testStore';
import { explainedPlan, nodesOf } from '../__testUtils__/explainedPlan';

jest.setTimeout(120_000);

const MIGRATIONS = 20_000;
const ROLLED_BACK = 4_000;
const EVENTS_EACH = 20;

describe('the history stats with a long history', () => {
  const databases = createTestDatabases();
  const itOnPostgres = itOn(databases, 'POSTGRES_15');

  itOnPostgres(
    `count who asked for each rollback with one index probe each (${MIGRATIONS} migrations, ${
      MIGRATIONS * EVENTS_EACH
    } events)`,
    async () => {
      const { store, knex } = await testStore(
        await databases.init('POSTGRES_15'),
      );
      await knex.raw(
        `INSERT INTO dm_migrations (id, entity_ref, status, connection, owner_ref,
           agent_id, agent_version, plan_hash, plan_json, created_by, created_at,
           updated_at)
         SELECT 'm' || g, 'resource:default/h' || g,
           CASE WHEN g <= ? THEN 'rolled_back' ELSE 'completed' END,
           'warehouse', 'group:default/team-' || (g % 50), 'sql', '1.0.0', 'h', '{}',
           'user:default/test', now() - g * interval '10 seconds', now()
         FROM generate_series(1, ?) AS g`,
        [ROLLED_BACK, MIGRATIONS],
      );
      // Every migration's step events. Of the rolled-back ones a quarter were asked for by
      // a person and a quarter by the rollout (the request before the rollback's own
      // events); the other half rolled back on their own, with no request at all.
      await knex.raw(
        `INSERT INTO dm_events (migration_id, created_at, type, step, actor, message)
         SELECT 'm' || g, now(),
           CASE WHEN g <= ? AND s = ? AND g % 4 < 2 THEN 'rollback.requested'
             ELSE 'step.progress' END,
           'copy', CASE WHEN g % 4 = 0 THEN 'user:default/ana' ELSE 'rollout' END, 'event'
         FROM generate_series(1, ?) AS g, generate_series(1, ?) AS s
         ORDER BY g, s`,
        [ROLLED_BACK, EVENTS_EACH - 3, MIGRATIONS, EVENTS_EACH],
      );
      await knex.raw('ANALYZE dm_migrations');
      await knex.raw('ANALYZE dm_events');

      const statements: Array<{ sql: string; bindings: unknown[] }> = [];
      const record = (q: { sql: string; bindings?: unknown[] }) => {
        if (/dm_events/.test(q.sql))
          statements.push({ sql: q.sql, bindings: q.bindings ?? [] });
      };
      knex.on('query', record);
      const stats = await store.getStats({});
      knex.removeListener('query', record);
      expect(stats.rollbacks).toEqual({
        requestedByPerson: ROLLED_BACK / 4,
        automatic: (ROLLED_BACK * 3) / 4,
      });

      expect(statements).toHaveLength(1);
      const { sql, bindings } = statements[0];
      const root = await explainedPlan(knex, { sql, bindings });
      const events = [...nodesOf(root)].filter(
        n =>
          n['Relation Name'] === 'dm_events' ||
          n['Index Name']?.startsWith('dm_events'),
      );
      // At most one index entry a rolled-back migration: not every event of those
      // without a request, nor a scan of all events.
      const read = events.reduce(
        (sum, n) =>
          sum +
          (n['Actual Rows'] + (n['Rows Removed by Filter'] ?? 0)) *
            n['Actual Loops'],
        0,
      );
      expect(events.map(n => n['Node Type'])).not.toContain('Seq Scan');
      expect(read).toBeLessThanOrEqual(ROLLED_BACK);
    },
  );
});
