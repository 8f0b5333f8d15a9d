/* eslint-disable jest/no-standalone-expect -- tests run through `itOnPostgres`, which
   is `it` whenever PostgreSQL is available (always under CI=true). */
import type {
  Plan,
  PlanTarget,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { createTestDatabases, itOn } from '../__testUtils__/testDatabases';
import { testStore } from '../__testUtils__/testStore';
import { explainedPlan, nodesOf } from '../__testUtils__/explainedPlan';
import { KnexMigrationStore } from './KnexMigrationStore';

jest.setTimeout(120_000);

const HISTORY = 100_000;
const AWAITING_CLEANUP = 2_000;

describe('the claim with a long history', () => {
  const databases = createTestDatabases();
  const itOnPostgres = itOn(databases, 'POSTGRES_15');

  itOnPostgres(
    `reads only runnable migrations with ${HISTORY} finished ones and ${AWAITING_CLEANUP} in their grace period`,
    async () => {
      const { knex } = await testStore(await databases.init('POSTGRES_15'));
      const store = new KnexMigrationStore(knex, {
        caps: {
          perSourceConnection: 2,
          perTargetConnection: 8,
          perOwner: 8,
          connections: {},
        },
      });
      // An active campaign whose start rate the claim counts: half the history is its.
      await knex('dm_campaigns').insert({
        id: 'c-history',
        name: 'history',
        status: 'active',
        selector_json: '{}',
        agent_id: 'sql',
        mode: 'auto',
        max_running: 100,
        starts_per_minute: 1000,
        budget_window: 10,
        budget_max_failure_rate: 1,
        created_by: 'user:default/test',
        created_at: new Date(),
        updated_at: new Date(),
      });
      // The history, older than anything queued: the oldest-first order must not walk it.
      await knex.raw(
        `INSERT INTO dm_migrations (id, entity_ref, status, connection, owner_ref,
           agent_id, agent_version, plan_hash, plan_json, created_by, created_at,
           updated_at, target_connection, started_at, run_after, campaign_id)
         SELECT gen_random_uuid()::text, 'resource:default/h' || g,
           CASE WHEN g <= ? THEN 'awaiting_cleanup' ELSE 'completed' END,
           'warehouse', 'group:default/team-' || (g % 50), 'sql', '1.0.0', 'h', '{}',
           'user:default/test', now() - interval '30 days' + g * interval '1 second',
           now(), 'lake', now() - interval '30 days',
           CASE WHEN g <= ? THEN now() + interval '7 days' END,
           CASE WHEN g % 2 = 0 THEN 'c-history' END
         FROM generate_series(1, ?) AS g`,
        [AWAITING_CLEANUP, AWAITING_CLEANUP, HISTORY],
      );
      for (let i = 0; i < 6; i++) {
        const table = `q${i}`;
        await store.createMigration({
          entityRef: `resource:default/${table}`,
          connection: i % 2 ? 'warehouse' : 'crm',
          ownerRef: 'group:default/team-1',
          plan: {
            hash: table,
            entityRef: `resource:default/${table}`,
            agent: { id: 'sql', version: '1.0.0' },
            source: { connection: 'warehouse', table } as TableSchema,
            target: { connection: 'lake', table: `${table}_v2` } as PlanTarget,
          } as Plan,
          createdBy: 'user:default/test',
        });
      }
      await knex.raw('ANALYZE dm_migrations');

      // Every statement the claims send, explained with the same bindings.
      const statements: Array<{ sql: string; bindings: unknown[] }> = [];
      const record = (q: { sql: string; bindings?: unknown[] }) => {
        if (/^\s*select/i.test(q.sql) && /dm_migrations/.test(q.sql))
          statements.push({ sql: q.sql, bindings: q.bindings ?? [] });
      };
      knex.on('query', record);
      const claimed = [];
      for (let i = 0; i < 4; i++) {
        claimed.push(await store.claimMigration(`host:1:aaaa/${i}`, 60_000));
      }
      await store.capLoads();
      const page = await store.listMigrations({ limit: 50 });
      await store.listMigrations({ limit: 50, cursor: page.nextCursor! });
      knex.removeListener('query', record);
      // crm's three and warehouse's first two, within warehouse's cap of 2: four claims.
      expect(claimed.every(Boolean)).toBe(true);

      const report: string[] = [];
      const tooWide: string[] = [];
      for (const { sql, bindings } of statements) {
        const root = await explainedPlan(knex, { sql, bindings });
        let read = 0;
        let removed = 0;
        // The claim's read of the active campaigns may scan that small table; the
        // history must never be scanned.
        let scansHistory = false;
        for (const node of nodesOf(root)) {
          if (
            node['Node Type'] === 'Seq Scan' &&
            node['Relation Name'] === 'dm_migrations'
          ) {
            scansHistory = true;
          }
          if (node['Relation Name'] === 'dm_migrations' || node['Index Name']) {
            read += node['Actual Rows'] * node['Actual Loops'];
            removed +=
              ((node['Rows Removed by Filter'] ?? 0) +
                (node['Rows Removed by Index Recheck'] ?? 0)) *
              node['Actual Loops'];
          }
        }
        const shape = [...nodesOf(root)]
          .map(
            n =>
              `${n['Node Type']}${
                n['Index Name'] ? ` ${n['Index Name']}` : ''
              }`,
          )
          .join(' > ');
        report.push(
          `${sql
            .slice(0, 90)
            .replace(
              /\s+/g,
              ' ',
            )}… | ${shape} | rows ${read}, removed by filter ${removed}`,
        );
        // A page of 50 reads 51 rows; the claim reads the handful of runnable ones.
        if (read > 120 || removed > 100 || scansHistory) {
          tooWide.push(report[report.length - 1]);
        }
      }
      expect(tooWide).toEqual([]);
      if (process.env.DM_EXPLAIN)
        process.stdout.write(`${report.join('\n')}\n`);
      expect(statements.length).toBeGreaterThanOrEqual(10);
    },
  );
});
