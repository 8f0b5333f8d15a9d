/* eslint-disable jest/no-standalone-expect -- tests run through `itOnPostgres`, which
   is `it` whenever PostgreSQL is available (always under CI=true). */
import type { MigrationEvent } from '@internal/backstage-plugin-dataset-migrations-common';
import { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import knexFactory, { Knex } from 'knex';
import { ConnectionRegistry } from '../connections/ConnectionRegistry';
import type { ConcurrencyCaps } from '../store/concurrencyCaps';
import { engineConnection } from '../__testUtils__/engineConnections';
import { planFor } from '../__testUtils__/planFor';
import { createTestDatabases, itOn } from '../__testUtils__/testDatabases';
import { testStore } from '../__testUtils__/testStore';
import { startWorkerProcess } from '../__testUtils__/workerProcess';

jest.setTimeout(300_000);

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const CAPS: ConcurrencyCaps = {
  perSourceConnection: 2,
  perTargetConnection: 8,
  perOwner: 1,
  connections: {},
};
const OWNERS = ['group:default/a', 'group:default/b', 'group:default/c'];

/** The most intervals that overlap at one instant. */
function maxOverlap(intervals: Array<[number, number]>): number {
  const edges = intervals.flatMap(([start, end]) => [
    [start, 1],
    [end, -1],
  ]);
  // An interval that ends at the instant another starts does not overlap it.
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let now = 0;
  let most = 0;
  for (const [, delta] of edges) {
    now += delta;
    most = Math.max(most, now);
  }
  return most;
}

describe('concurrency caps with two backend instances on one PostgreSQL', () => {
  const databases = createTestDatabases();
  const itOnPostgres = itOn(databases, 'POSTGRES_15');
  const children: ChildProcess[] = [];
  const failures: string[] = [];
  const logs: string[] = [];
  let pluginKnex: Knex | undefined;
  let registry: ConnectionRegistry | undefined;
  let hold: Knex.Transaction | undefined;

  afterEach(async () => {
    children.forEach(c => c.kill('SIGKILL'));
    children.length = 0;
    await hold?.rollback().catch(() => undefined);
    hold = undefined;
    await registry?.destroy();
    await pluginKnex?.destroy();
  });

  itOnPostgres(
    'never run more than the caps per source connection and per owner, leave a paused campaign alone and pace an active one',
    async () => {
      const plugin = await engineConnection(databases, 'POSTGRES_15', 'plugin');
      pluginKnex = knexFactory({
        client: 'pg',
        connection: plugin.connection as Knex.PgConnectionConfig,
      });
      const { store } = await testStore(pluginKnex);
      const source = await engineConnection(databases, 'POSTGRES_15', 'source');
      // Two source connections (named apart, one database), one target.
      const connections = {
        src_a: { ...source, name: 'src_a' },
        src_b: { ...source, name: 'src_b' },
        lake: { ...source, name: 'lake' },
      };
      registry = new ConnectionRegistry(new Map(Object.entries(connections)));
      const db = registry.get('src_a');

      const campaign = async (status: string, startsPerMinute: number) => {
        const id = crypto.randomUUID();
        await pluginKnex!('dm_campaigns').insert({
          id,
          name: `${status} campaign`,
          status,
          selector_json: '{}',
          agent_id: 'sql',
          mode: 'auto',
          max_running: 10,
          starts_per_minute: startsPerMinute,
          budget_window: 10,
          budget_max_failure_rate: 0.5,
          created_by: 'user:default/admin',
          created_at: new Date(),
          updated_at: new Date(),
        });
        return id;
      };
      const paused = await campaign('paused', 100);
      const paced = await campaign('active', 2);

      const queue = async (
        table: string,
        connection: string,
        owner: string,
        campaignId?: string,
      ) => {
        await db.raw(
          `CREATE TABLE ?? ("id" bigint PRIMARY KEY, "payload" text NOT NULL)`,
          [table],
        );
        await db.raw(
          `INSERT INTO ?? SELECT g, md5(g::text) FROM generate_series(1, 20000) AS g`,
          [table],
        );
        const plan = await planFor(registry!, { connection, table }, [
          {
            name: 'move',
            match: {},
            allowDestructive: false,
            computed: [],
            target: { connection: 'lake', table: '{table}_new' },
          },
        ]);
        const m = await store.createMigration({
          entityRef: plan.entityRef,
          connection,
          ownerRef: owner,
          plan,
          createdBy: 'user:default/test',
          campaignId,
        });
        return m.id;
      };
      const single: string[] = [];
      for (let i = 0; i < 12; i++) {
        single.push(
          await queue(
            `t${String(i).padStart(2, '0')}`,
            i % 2 ? 'src_b' : 'src_a',
            OWNERS[i % 3],
          ),
        );
      }
      const pacedIds: string[] = [];
      for (let i = 0; i < 4; i++) {
        pacedIds.push(
          await queue(`p${i}`, 'src_b', OWNERS[(i + 1) % 3], paced),
        );
      }
      const pausedId = await queue('held', 'src_a', OWNERS[0], paused);

      // src_a's first two migrations (owners a and c) wait in provision, whose capture
      // trigger needs a lock this SHARE lock holds, until both have started: the caps
      // are then reached however fast the machine moves a table, and the rest of the
      // queue waits on them (src_a at its cap, every owner busy with t00, t01, t02).
      hold = await db.transaction();
      await hold.raw('LOCK TABLE ??, ?? IN SHARE MODE', ['t00', 't02']);

      const args = {
        pluginDb: { client: 'pg', connection: plugin.connection },
        connections,
        workerSlots: 3,
        caps: CAPS,
      };
      for (let i = 0; i < 2; i++) {
        children.push(
          startWorkerProcess(
            args,
            (code, signal, stderr) => {
              if (signal !== 'SIGKILL')
                failures.push(
                  `instance exited with ${code ?? signal}: ${stderr}`,
                );
            },
            chunk => logs.push(chunk),
          ),
        );
      }

      const statusOf = async (id: string) =>
        (await store.getMigration(id))!.status;
      /**
       * Polls the statuses of `ids` every 100 ms until `ready` says so; after two minutes,
       * fails with `failure` of the last statuses and the instances' logs.
       */
      const waitForStatuses = async (
        ids: string[],
        ready: (statuses: string[]) => boolean,
        failure: (statuses: string[]) => string,
      ) => {
        for (let i = 0; ; i++) {
          const statuses = await Promise.all(ids.map(statusOf));
          if (ready(statuses)) return;
          if (i > 1200) {
            throw new Error(
              `${failure(statuses)}; logs: ${logs.join('').slice(-2000)}`,
            );
          }
          await sleep(100);
        }
      };
      await waitForStatuses(
        [single[0], single[2]],
        held => held.every(s => s === 'running'),
        held => `t00 and t02 did not both start: ${held.join(' ')}`,
      );
      await hold.commit();
      hold = undefined;

      // The singles and the campaign's first two starts finish; the rest wait.
      await waitForStatuses(
        [...single, ...pacedIds],
        statuses => {
          expect(
            statuses.filter(s => ['failed', 'rolled_back'].includes(s)),
          ).toEqual([]);
          return statuses.filter(s => s === 'awaiting_cleanup').length >= 14;
        },
        statuses =>
          `Only ${
            statuses.filter(s => s === 'awaiting_cleanup').length
          } of 14 reached awaiting_cleanup: ${statuses.join(' ')}`,
      );
      // A little longer: nothing else may start.
      await sleep(1500);
      expect(failures).toEqual([]);

      const all = [...single, ...pacedIds];
      const intervals = new Map<string, [number, number]>();
      const instances = new Set<string>();
      for (const id of all) {
        const events: MigrationEvent[] = await store.listEvents(id, 0, 1000);
        const start = events.find(
          e => e.type === 'status' && e.message === 'Started',
        );
        const end = events.find(
          e => e.type === 'status' && e.message.startsWith('Cut over'),
        );
        if (!start) continue;
        instances.add(
          /^[^:]+:(\d+):/.exec(String(start.data?.workerId))?.[1] ?? '',
        );
        intervals.set(id, [
          Date.parse(start.createdAt),
          Date.parse(end?.createdAt ?? new Date().toISOString()),
        ]);
      }
      const records = await Promise.all(
        all.map(async id => (await store.getMigration(id))!),
      );
      const overlapBy = (
        key: (r: (typeof records)[number]) => string | null,
      ) => {
        const groups = new Map<string, Array<[number, number]>>();
        for (const r of records) {
          const interval = intervals.get(r.id);
          const k = key(r);
          if (!interval || !k) continue;
          groups.set(k, [...(groups.get(k) ?? []), interval]);
        }
        return Object.fromEntries(
          [...groups].map(([k, list]) => [k, maxOverlap(list)]),
        );
      };
      const perConnection = overlapBy(r => r.connection);
      const perOwner = overlapBy(r => r.ownerRef);
      // The caps were the limit, not the six worker slots.
      expect(Object.values(perConnection).every(n => n <= 2)).toBe(true);
      expect(Object.values(perOwner).every(n => n <= 1)).toBe(true);
      expect(maxOverlap([...intervals.values()])).toBeLessThanOrEqual(3);
      // ...and they were reached: the work did run side by side.
      expect(Math.max(...Object.values(perConnection))).toBe(2);
      expect(maxOverlap([...intervals.values()])).toBeGreaterThanOrEqual(2);
      // Both instances took a share.
      expect(instances.size).toBe(2);

      // The paused campaign's migration was never claimed.
      const held = await store.getMigration(pausedId);
      expect(held!.status).toBe('queued');
      expect(await store.countEvents(pausedId, 'status')).toBe(0);
      // Two starts a minute: two of the campaign's four started, the others wait.
      const pacedStatuses = await Promise.all(pacedIds.map(statusOf));
      expect(pacedStatuses.filter(s => s === 'awaiting_cleanup')).toHaveLength(
        2,
      );
      expect(pacedStatuses.filter(s => s === 'queued')).toHaveLength(2);
    },
  );
});
