import { mockServices } from '@backstage/backend-test-utils';
import {
  MIGRATION_ACTIONS,
  Migration,
} from '@internal/backstage-plugin-dataset-migrations-common';
import fc from 'fast-check';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { allRows } from '../dialects/rawRows';
import { datasetEntity } from '../__testUtils__/datasetEntity';
import { engineConnection } from '../__testUtils__/engineConnections';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { startTestPlugin } from '../__testUtils__/testBackend';

jest.setTimeout(900_000);

/** Planted where no answer may ever show it: a password and a row value. */
const SECRET = 'pw-SECRET-7f3a';
const PLANTED = 'PLANTED-ROW-7c1e';
const ROWS = 200;
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
/**
 * Fixed by default so CI answers the same way every time; `FUZZ_SEED=<n>` replays
 * another run, `FUZZ_SEED=random` explores (the seed is printed either way).
 */
const SEED =
  process.env.FUZZ_SEED === 'random'
    ? Math.floor(Math.random() * 2 ** 31)
    : Number(process.env.FUZZ_SEED ?? 20261129);
const REQUESTS_PER_RUN = 40;
const API = '/api/dataset-migrations';

const ENTITIES = {
  orders: datasetEntity('orders', 'warehouse:public.orders'),
  customers: datasetEntity('customers', 'warehouse:public.customers'),
  events: datasetEntity('events', 'warehouse:public.events'),
  // A second entity naming the same physical table.
  ordersAlias: datasetEntity('orders-alias', 'warehouse:public.orders'),
  // Its preflight fails on a row whose value must not reach any answer.
  codes: datasetEntity('codes', 'warehouse:public.codes'),
  missing: datasetEntity('missing', 'warehouse:public.nowhere'),
  // A connection that cannot be reached, whose settings hold the secret.
  archived: datasetEntity('archived', 'archive:public.things'),
};
const REFS = Object.values(ENTITIES).map(
  e => `resource:default/${e.metadata.name}`,
);

const HOSTILE = [
  "'; DROP TABLE orders; --",
  '" OR 1=1 --',
  '../../../etc/passwd',
  '%00',
  '\u0000',
  ':after_0',
  '$1',
  '?',
  '`id`',
  'resource:default/orders\n',
  'resource:default/',
  'component:default/orders',
  'x'.repeat(5000),
  '00000000-0000-0000-0000-000000000000',
  '{"$ne":null}',
  '💥',
];

const hostile = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);
const entityRef = fc.oneof(
  { arbitrary: fc.constantFrom(...REFS), weight: 4 },
  { arbitrary: hostile, weight: 1 },
);
const query = fc.dictionary(
  fc.constantFrom(
    'status',
    'entityRef',
    'owner',
    'connection',
    'limit',
    'cursor',
    'createdAfter',
    'createdBefore',
    'junk',
  ),
  fc.oneof(
    hostile,
    fc.constantFrom('running', 'completed', '5', '-1', '1000000'),
  ),
  { maxKeys: 4 },
);

/** One request of the fuzz: malformed, hostile, or valid in an unlucky order. */
type Op =
  | { kind: 'plan'; body: unknown }
  | { kind: 'start'; entityRef: string; hash: 'reviewed' | string }
  | { kind: 'act'; action: string; target: number | string }
  | { kind: 'get'; target: number | string }
  | { kind: 'list' | 'stats'; query: Record<string, string> }
  | { kind: 'raw'; path: string; body: string }
  | { kind: 'fleet' | 'connections' };

const target = fc.oneof(
  { arbitrary: fc.nat(50), weight: 4 },
  { arbitrary: hostile, weight: 1 },
);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('plan' as const),
      body: fc.oneof(fc.record({ entityRef }), fc.anything()),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('start' as const),
      entityRef,
      hash: fc.oneof(fc.constant('reviewed'), hostile),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('act' as const),
      action: fc.oneof(
        { arbitrary: fc.constantFrom(...MIGRATION_ACTIONS), weight: 5 },
        { arbitrary: fc.constantFrom('delete', 'explode', ''), weight: 1 },
      ),
      target,
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('get' as const), target }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom('list' as const, 'stats' as const),
      query,
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('raw' as const),
      path: fc.constantFrom('/plans', '/migrations'),
      body: fc.oneof(fc.constantFrom('{"entityRef":', '[]', 'null'), hostile),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom('fleet' as const, 'connections' as const),
    }),
    weight: 1,
  },
);

/** Every table's rows as one ordered text, to compare before and after. */
async function contents(knex: Knex, table: string): Promise<string> {
  const rows = allRows(
    await knex.raw(`SELECT id, label, qty FROM ?? ORDER BY id`, [table]),
  );
  return JSON.stringify(rows);
}

async function relationExists(knex: Knex, name: string) {
  const rows = allRows(
    await knex.raw(
      `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relname = ?`,
      [name],
    ),
  );
  return rows.length > 0;
}

/**
 * The whole API under generated malformed, hostile and out-of-order requests, with the
 * plugin's own state and the datasets on PostgreSQL and its workers running: no answer
 * is a 5xx, none shows a secret or a row value, and no row of any dataset is lost.
 */
describe('the API under fuzzing (PostgreSQL state and datasets)', () => {
  const databases = createTestDatabases();

  it('answers every request without a 5xx or a leak, and loses no row', async () => {
    const stateKnex = await databases.init('POSTGRES_15');
    const warehouse = await engineConnection(
      databases,
      'POSTGRES_15',
      'warehouse',
    );
    const data = knexFactory({
      client: 'pg',
      connection: warehouse.connection as Knex.PgConnectionConfig,
    });
    const tables = ['orders', 'customers', 'events', 'codes'];
    for (const table of tables) {
      await data.raw(
        `CREATE TABLE ?? (id bigint PRIMARY KEY, label text NOT NULL, qty integer)`,
        [table],
      );
      await data.raw(
        `INSERT INTO ?? SELECT g, CASE WHEN g = 7 THEN ? ELSE 'row ' || g END, g % 5
         FROM generate_series(1, ?) AS g`,
        [table, PLANTED, ROWS],
      );
    }
    const before = Object.fromEntries(
      await Promise.all(tables.map(async t => [t, await contents(data, t)])),
    );

    const server = await startTestPlugin({
      config: {
        connections: {
          warehouse: {
            client: 'pg',
            connection: warehouse.connection as object,
          },
          archive: {
            client: 'pg',
            connection: `postgres://dm:${SECRET}@127.0.0.1:1/nowhere`,
          },
        },
        rules: [
          {
            // Preflight fails on the planted row: its value must stay inside.
            name: 'codes-label-as-int',
            match: { table: 'codes', column: 'label' },
            cast: 'integer',
            allowDestructive: true,
          },
          { name: 'v2', target: { table: '{table}_v2' } },
        ],
        executor: {
          workerSlots: 2,
          leaseSeconds: 5,
          retryBaseSeconds: 0.05,
          maxAttempts: 2,
        },
      },
      entities: Object.values(ENTITIES),
      features: [mockServices.database.factory({ knex: stateKnex })],
    });

    const ids: string[] = [];
    const reviewed = new Map<string, string>();
    const statuses = new Map<number, number>();
    let requests = 0;
    let unreachable = 0;

    const check = (res: request.Response, what: string) => {
      requests++;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const text = `${res.text ?? ''}${JSON.stringify(res.body ?? '')}`;
      // The one 5xx allowed: 503 for the dataset whose database cannot be reached,
      // naming the connection's key (the database is down, not the API).
      const isDatabaseDown =
        res.status === 503 &&
        res.body?.error?.name === 'ServiceUnavailableError' &&
        /datasetMigrations\.connections\.archive/.test(res.body.error.message);
      if (isDatabaseDown) unreachable++;
      if (
        (res.status >= 500 && !isDatabaseDown) ||
        text.includes(SECRET) ||
        text.includes(PLANTED)
      )
        throw new Error(
          `${what} answered ${res.status}: ${text.slice(0, 500)}`,
        );
      const migration = res.body?.migration as Migration | undefined;
      if (migration?.id && !ids.includes(migration.id)) ids.push(migration.id);
      if (res.body?.plan?.hash && res.body.plan.entityRef)
        reviewed.set(res.body.plan.entityRef, res.body.plan.hash);
      return res;
    };
    const idOf = (t: number | string) =>
      typeof t === 'number' ? ids[t % Math.max(ids.length, 1)] ?? 'none' : t;

    const send = async (o: Op) => {
      const api = request(server);
      const what = JSON.stringify(o).slice(0, 300);
      const c = (res: request.Response) => check(res, what);
      switch (o.kind) {
        case 'plan':
          // Any JSON value as the body, sent as text: supertest takes only objects.
          return c(
            await api
              .post(`${API}/plans`)
              .set('Content-Type', 'application/json')
              .send(JSON.stringify(o.body) ?? 'null'),
          );
        case 'start': {
          if (o.hash === 'reviewed' && !reviewed.has(o.entityRef)) {
            c(await api.post(`${API}/plans`).send({ entityRef: o.entityRef }));
          }
          const planHash =
            o.hash === 'reviewed' ? reviewed.get(o.entityRef) ?? 'x' : o.hash;
          return c(
            await api
              .post(`${API}/migrations`)
              .send({ entityRef: o.entityRef, planHash }),
          );
        }
        case 'act':
          return c(
            await api.post(
              `${API}/migrations/${encodeURIComponent(idOf(o.target))}/${
                o.action
              }`,
            ),
          );
        case 'get':
          return c(
            await api.get(
              `${API}/migrations/${encodeURIComponent(idOf(o.target))}`,
            ),
          );
        case 'list':
          return c(await api.get(`${API}/migrations`).query(o.query));
        case 'stats':
          return c(await api.get(`${API}/migrations/stats`).query(o.query));
        case 'raw':
          return c(
            await api
              .post(`${API}${o.path}`)
              .set('Content-Type', 'application/json')
              .send(o.body),
          );
        case 'fleet':
          return c(await api.get(`${API}/fleet/workers`));
        default:
          return c(await api.get(`${API}/connections`));
      }
    };

    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(op, {
            minLength: REQUESTS_PER_RUN,
            maxLength: REQUESTS_PER_RUN,
          }),
          async ops => {
            // Five at a time: actions on one migration race each other and the workers.
            for (let i = 0; i < ops.length; i += 5) {
              await Promise.all(ops.slice(i, i + 5).map(send));
            }
          },
        ),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      expect(requests).toBeGreaterThanOrEqual(RUNS * REQUESTS_PER_RUN);

      // Let the executor settle: cancel what still runs, wait for every migration to
      // stop moving.
      const busy = ['queued', 'running', 'rolling_back', 'cleaning_up'];
      for (let i = 0; i < 600; i++) {
        const page = await request(server).get(`${API}/migrations?limit=100`);
        const moving = (page.body.items as Migration[]).filter(m =>
          busy.includes(m.status),
        );
        if (moving.length === 0) break;
        for (const m of moving.filter(x => x.status === 'running'))
          await request(server).post(`${API}/migrations/${m.id}/cancel`);
        await new Promise(r => setTimeout(r, 200));
      }
      const page = await request(server).get(`${API}/migrations?limit=100`);
      expect(
        (page.body.items as Migration[]).filter(m => busy.includes(m.status)),
      ).toEqual([]);

      // Every row is where readers find it: at the old name (table or view), or, once
      // a migration completed, in its new table.
      for (const table of tables) {
        const where = (await relationExists(data, table))
          ? table
          : `${table}_v2`;
        expect({ table, rows: await contents(data, where) }).toEqual({
          table,
          rows: before[table],
        });
      }
      // eslint-disable-next-line no-console
      console.info(
        `API fuzz (seed ${SEED}): ${requests} requests (${unreachable} answered 503 for the unreachable connection), ${
          ids.length
        } migrations, statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
      );
    } finally {
      await data.destroy();
    }
  });
});
