/* eslint-disable jest/no-standalone-expect -- tests run through `itOnPostgres`, which
   is `it` whenever PostgreSQL is available (always under CI=true). */
import { ChildProcess } from 'node:child_process';
import knexFactory, { Knex } from 'knex';
import { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { KnexMigrationStore } from '../store/KnexMigrationStore';
import { engineConnection } from '../__testUtils__/engineConnections';
import { planFor } from '../__testUtils__/planFor';
import { createTestDatabases, itOn } from '../__testUtils__/testDatabases';
import { testStore, createTestMigration } from '../__testUtils__/testStore';
import { startWorkerProcess } from '../__testUtils__/workerProcess';

jest.setTimeout(300_000);

const MIGRATIONS = Number(process.env.DM_TEST_MIGRATIONS ?? 50);
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('two backend instances on one PostgreSQL', () => {
  const databases = createTestDatabases();
  const itOnPostgres = itOn(databases, 'POSTGRES_15');
  const children: ChildProcess[] = [];
  const failures: string[] = [];
  const logs: string[] = [];
  let pluginKnex: Knex | undefined;
  let registry: ConnectionRegistry | undefined;

  function startInstance(args: object): ChildProcess {
    const child = startWorkerProcess(
      args,
      (code, signal, stderr) => {
        if (signal !== 'SIGKILL' && signal !== 'SIGTERM')
          failures.push(`instance exited with ${code ?? signal}: ${stderr}`);
      },
      chunk => logs.push(chunk),
    );
    children.push(child);
    return child;
  }

  afterEach(async () => {
    children.forEach(c => c.kill('SIGKILL'));
    children.length = 0;
    await registry?.destroy();
    await pluginKnex?.destroy();
  });

  async function setUp(
    tables: Array<{ name: string; rows: number }>,
    target: 'same' | 'other',
  ) {
    const plugin = await engineConnection(databases, 'POSTGRES_15', 'plugin');
    pluginKnex = knexFactory({
      client: 'pg',
      connection: plugin.connection as Knex.PgConnectionConfig,
    });
    const { store } = await testStore(pluginKnex);
    const source = await engineConnection(databases, 'POSTGRES_15', 'source');
    const lake =
      target === 'same'
        ? { ...source, name: 'lake' }
        : await engineConnection(databases, 'POSTGRES_15', 'lake');
    registry = new ConnectionRegistry(
      new Map([
        ['source', source],
        ['lake', lake],
      ]),
    );
    const sk = registry.get('source');
    for (const t of tables) {
      await sk.raw(
        `CREATE TABLE ?? ("id" bigint PRIMARY KEY, "payload" text NOT NULL)`,
        [t.name],
      );
      await sk.raw(
        `INSERT INTO ?? SELECT g, md5(g::text) FROM generate_series(1, ?) AS g`,
        [t.name, t.rows],
      );
    }
    const ids: string[] = [];
    for (const t of tables) {
      const plan = await planFor(
        registry,
        { connection: 'source', table: t.name },
        [
          {
            name: 'move',
            match: {},
            allowDestructive: false,
            computed: [],
            target: { connection: 'lake', table: '{table}_new' },
          },
        ],
      );
      expect(plan.preflight?.status).toBe('passed');
      ids.push((await createTestMigration(store, plan)).id);
    }
    const args = {
      pluginDb: { client: 'pg', connection: plugin.connection },
      connections: { source, lake },
      workerSlots: 2,
    };
    return { store, ids, args };
  }

  async function waitFor(
    store: KnexMigrationStore,
    ids: string[],
    status: string,
    seconds: number,
  ) {
    for (let i = 0; i < seconds * 10; i++) {
      const statuses = await Promise.all(
        ids.map(async id => (await store.getMigration(id))!.status),
      );
      if (statuses.every(s => s === status)) return;
      expect(
        statuses.filter(s =>
          ['failed', 'rolled_back', 'cancelled'].includes(s),
        ),
      ).toEqual([]);
      await sleep(100);
    }
    const states = await Promise.all(
      ids.map(async id => {
        const m = (await store.getMigration(id))!;
        return `${m.status}/${m.steps.map(s => s.status[0]).join('')}/${
          m.leaseOwner
        }/${m.runAfter}`;
      }),
    );
    throw new Error(
      `Not every migration reached ${status} within ${seconds} s: ${states
        .slice(0, 5)
        .join(' ')}; logs: ${logs.join('').slice(-2000)}`,
    );
  }

  itOnPostgres(
    `run ${MIGRATIONS} migrations with every step executed exactly once`,
    async () => {
      const tables = Array.from({ length: MIGRATIONS }, (_, i) => ({
        name: `t${String(i).padStart(2, '0')}`,
        rows: 500,
      }));
      const { store, ids, args } = await setUp(tables, 'same');
      startInstance(args);
      startInstance(args);
      await waitFor(store, ids, 'awaiting_cleanup', 180);
      expect(failures).toEqual([]);

      const instances = new Set<string>();
      for (const id of ids) {
        const events = await store.listEvents(id, 0, 1000);
        for (const step of [
          'preflight',
          'provision',
          'copy',
          'verify',
          'cutover',
        ]) {
          const started = events.filter(
            e => e.type === 'step.started' && e.step === step,
          );
          const succeeded = events.filter(
            e => e.type === 'step.succeeded' && e.step === step,
          );
          expect({
            id,
            step,
            started: started.length,
            succeeded: succeeded.length,
          }).toEqual({ id, step, started: 1, succeeded: 1 });
          instances.add(String(started[0].data?.workerId).split('/')[0]);
        }
      }
      // Both instances took a share of the work.
      expect(instances.size).toBe(2);
    },
  );

  itOnPostgres(
    'finish the work of an instance killed mid-copy once its heartbeat stops, long before its lease would expire, without counting the crash as a failed attempt',
    async () => {
      const { store, ids, args } = await setUp(
        [{ name: 'big_events', rows: 300_000 }],
        'other',
      );
      // A ten-minute lease: only the stopped heartbeat can explain a takeover within
      // the test's wait.
      const longLease = { ...args, leaseMs: 600_000 };
      const [first, second] = [
        startInstance(longLease),
        startInstance(longLease),
      ];
      const [id] = ids;
      let holder: string | null = null;
      for (let i = 0; i < 600 && !holder; i++) {
        const m = (await store.getMigration(id))!;
        const copy = m.steps.find(s => s.name === 'copy')!;
        if (copy.status === 'running' && copy.progress.done > 0)
          holder = m.leaseOwner;
        await sleep(50);
      }
      expect(holder).not.toBeNull();
      // Which process holds it? Kill that one: its worker ids are host:pid:nonce/slot.
      const pidOf = (workerId: string) => workerId.split(':')[1];
      const victim = [first, second].find(
        c => pidOf(holder!) === String(c.pid),
      )!;
      const survivor = victim === first ? second : first;
      victim.kill('SIGKILL');
      await waitFor(store, ids, 'awaiting_cleanup', 180);
      expect(failures).toEqual([]);

      const events = await store.listEvents(id, 0, 10_000);
      const copyStarts = events
        .filter(e => e.type === 'step.started' && e.step === 'copy')
        .map(e => String(e.data?.workerId));
      expect(copyStarts.length).toBeGreaterThanOrEqual(2);
      expect(pidOf(copyStarts[0])).toBe(String(victim.pid));
      expect(pidOf(copyStarts[copyStarts.length - 1])).toBe(
        String(survivor.pid),
      );
      // The crash was nobody's failure: the copy resumed as the same attempt.
      const copy = (await store.getMigration(id))!.steps.find(
        s => s.name === 'copy',
      )!;
      expect(copy.attempts).toBe(1);
      expect(
        events.some(
          e =>
            e.step === 'copy' &&
            /resumed after its worker was lost/.test(e.message),
        ),
      ).toBe(true);
      expect(
        events.filter(e => e.type === 'step.succeeded' && e.step === 'copy'),
      ).toHaveLength(1);
      const counted = await registry!
        .get('lake')
        .raw(
          `SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d FROM big_events_new`,
        );
      expect(Number(counted.rows[0].n)).toBe(300_000);
      expect(Number(counted.rows[0].d)).toBe(300_000);
    },
  );
});
