/* eslint-disable jest/no-standalone-expect -- the tests run through `itOnEngine`,
   which runs them under CI=true and skips them elsewhere only when the engine is missing. */
import {
  mockCredentials,
  mockServices,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import {
  type BackendFeature,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import {
  type AgentPlan,
  type AgentPlanInput,
  type DatasetMigrationAgent,
  datasetMigrationsAgentsExtensionPoint,
} from '@internal/backstage-plugin-dataset-migrations-node';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { datasetEntity } from '../__testUtils__/datasetEntity';
import { engineConnection } from '../__testUtils__/engineConnections';
import { startTestPlugin } from '../__testUtils__/testBackend';
import { createTestDatabases, itOn } from '../__testUtils__/testDatabases';
import { rolloutBucket } from '../fleet/rollouts/rolloutBucket';
import { SQL_AGENT_CANDIDATE, SqlAgent } from '../plan/SqlAgent';

jest.setTimeout(240_000);

const API = '/api/dataset-migrations';
const ADMIN = mockCredentials.user.header('user:default/admin');
/** Rows of a table the faulty candidate gets wrong (past what preflight samples). */
const BIG = 1_200;
const SMALL = 50;

/**
 * A candidate whose plans pass preflight (its first 1,000 rows) but fail verify on
 * tables with more rows: its target-side rows' checksum counts one too many per row
 * past id 1000.
 */
class FaultyAgent implements DatasetMigrationAgent {
  readonly id = 'sql';
  readonly version = '1.5.0';
  private readonly inner = new SqlAgent();

  async createPlan(input: AgentPlanInput): Promise<AgentPlan> {
    const plan = await this.inner.createPlan(input);
    const validation = plan.artifacts.validation;
    const target = validation.target.replace(
      /(SUM\(.*\)) AS "row_checksum"/,
      '$1 + SUM(CASE WHEN "id" > 1000 THEN 1 ELSE 0 END) AS "row_checksum"',
    );
    if (target === validation.target)
      throw new Error(`no rows' checksum to spoil in ${validation.target}`);
    return {
      ...plan,
      artifacts: { ...plan.artifacts, validation: { ...validation, target } },
    };
  }
}

const offering = (agent: DatasetMigrationAgent): BackendFeature =>
  createBackendModule({
    pluginId: 'dataset-migrations',
    moduleId: `agent-${agent.version.replace(/\./g, '-')}`,
    register(reg) {
      reg.registerInit({
        deps: { agents: datasetMigrationsAgentsExtensionPoint },
        async init({ agents }) {
          agents.addAgent(agent);
        },
      });
    },
  });

async function seed(knex: Knex, tables: Record<string, number>) {
  for (const [table, rows] of Object.entries(tables)) {
    await knex.schema.createTable(table, t => {
      t.integer('id').primary();
      t.string('label', 40).notNullable();
    });
    for (let from = 0; from < rows; from += 500) {
      await knex(table).insert(
        Array.from({ length: Math.min(500, rows - from) }, (_, i) => ({
          id: from + i + 1,
          label: `${table}-${from + i}`,
        })),
      );
    }
  }
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('rollouts of agent versions', () => {
  const databases = createTestDatabases();

  async function start(
    id: TestDatabaseId,
    tables: Record<string, number>,
    candidate: DatasetMigrationAgent,
    extraConfig: Record<string, unknown> = {},
  ) {
    const warehouse = await engineConnection(databases, id, 'warehouse');
    const data = knexFactory({
      client: warehouse.client,
      connection: warehouse.connection as Knex.StaticConnectionConfig,
      useNullAsDefault: true,
    });
    await seed(data, tables);
    const features: BackendFeature[] = [offering(candidate)];
    if (id !== 'SQLITE_3') {
      features.push(
        mockServices.database.factory({ knex: await databases.init(id) }),
      );
    }
    const server = await startTestPlugin({
      config: {
        connections: {
          warehouse: {
            client: warehouse.client,
            connection: warehouse.connection,
          },
        },
        rules: [{ name: 'v2', target: { table: '{table}_v2' } }],
        agents: { sql: { stableVersion: '1.3.0' } },
        executor: {
          workerSlots: 2,
          leaseSeconds: 5,
          retryBaseSeconds: 0.05,
          maxAttempts: 1,
        },
        ...extraConfig,
      },
      entities: Object.keys(tables).map(t =>
        datasetEntity(t, `warehouse:${t}`),
      ),
      features,
    });
    return { server, data };
  }

  const api = (server: any) => ({
    plan: async (table: string): Promise<Plan> =>
      (
        await request(server)
          .post(`${API}/plans`)
          .set('authorization', ADMIN)
          .send({ entityRef: `resource:default/${table}` })
      ).body.plan,
    migrate: async (plan: Plan) => {
      const res = await request(server)
        .post(`${API}/migrations`)
        .set('authorization', ADMIN)
        .send({ entityRef: plan.entityRef, planHash: plan.hash });
      expect(res.status).toBe(202);
      return res.body.migration.id as string;
    },
    waitFor: async (migrationId: string, statuses: string[]) => {
      for (let i = 0; i < 600; i++) {
        const res = await request(server)
          .get(`${API}/migrations/${migrationId}`)
          .set('authorization', ADMIN);
        if (statuses.includes(res.body.migration?.status)) {
          return res.body.migration;
        }
        await sleep(100);
      }
      throw new Error(`${migrationId} never reached ${statuses.join('/')}`);
    },
    rollout: async (rolloutId: string) =>
      (
        await request(server)
          .get(`${API}/rollouts/${rolloutId}`)
          .set('authorization', ADMIN)
      ).body.rollout,
    waitForRollout: async (
      rolloutId: string,
      done: (rollout: any) => boolean,
      what: string,
    ) => {
      let last: any;
      for (let i = 0; i < 300; i++) {
        last = (
          await request(server)
            .get(`${API}/rollouts/${rolloutId}`)
            .set('authorization', ADMIN)
        ).body.rollout;
        if (last && done(last)) return last;
        await sleep(100);
      }
      throw new Error(
        `Rollout never reached ${what}: ${JSON.stringify({
          status: last?.status,
          step: last?.step,
          decisions: last?.decisions?.map((d: any) => d.message),
        })}`,
      );
    },
  });

  const GATES = {
    maxFailureRateMargin: 0.2,
    maxRollbackRateMargin: 0.2,
    maxVerifyMismatchMargin: 0,
    minThroughputShare: 0,
  };

  describe.each(['SQLITE_3', 'POSTGRES_15', 'MYSQL_8'] as TestDatabaseId[])(
    'on %s',
    id => {
      const itOnEngine = itOn(databases, id);

      itOnEngine(
        'promotes a good candidate step by step to 100 % where it becomes stable; assignment is sticky',
        async () => {
          const tables = Object.fromEntries(
            Array.from({ length: 24 }, (_, i) => [`t${i}`, SMALL]),
          );
          const { server, data } = await start(
            id,
            tables,
            new SqlAgent(SQL_AGENT_CANDIDATE),
          );
          const call = api(server);
          const agents = await request(server)
            .get(`${API}/agents`)
            .set('authorization', ADMIN);
          expect(agents.body.items).toEqual([
            { id: 'sql', versions: ['1.4.0', '1.3.0'], stableVersion: '1.3.0' },
          ]);

          const created = await request(server)
            .post(`${API}/rollouts`)
            .set('authorization', ADMIN)
            .send({
              agentId: 'sql',
              candidateVersion: '1.4.0',
              steps: [25, 50, 100],
              minPerStep: 1,
              bakeSeconds: 0,
              gates: GATES,
              onAbort: 'finish',
            });
          expect(created.status).toBe(201);
          const rolloutId = created.body.rollout.id;
          const bucket = (t: string) =>
            rolloutBucket(rolloutId, `resource:default/${t}`);
          const unused = new Set(Object.keys(tables));

          for (const [step, share] of [25, 50, 100].entries()) {
            // A dataset outside the share plans with the stable version...
            const outside = [...unused].find(t => bucket(t) >= share);
            if (outside) {
              const plan = await call.plan(outside);
              expect(plan.agent.version).toBe('1.3.0');
              expect(plan.agentChoice).toBe('stable');
            }
            // ...and one inside it with the candidate, the same on every re-plan.
            const inside = [...unused].find(t => bucket(t) < share)!;
            unused.delete(inside);
            const plan = await call.plan(inside);
            expect(plan.agent.version).toBe('1.4.0');
            expect(plan.agentChoice).toBe(
              `candidate: rollout ${rolloutId}, step ${
                step + 1
              } of 3, ${share} %`,
            );
            expect((await call.plan(inside)).hash).toBe(plan.hash);
            await call.waitFor(await call.migrate(plan), ['awaiting_cleanup']);
            await call.waitForRollout(
              rolloutId,
              r => r.step > step || r.status === 'promoted',
              `past step ${step + 1}`,
            );
          }

          const done = await call.rollout(rolloutId);
          expect(done.status).toBe('promoted');
          expect(done.decisions.map((d: any) => d.decision)).toEqual(
            expect.arrayContaining(['start', 'promote', 'complete']),
          );
          expect(
            done.decisions.filter((d: any) => d.decision === 'promote'),
          ).toHaveLength(2);
          const complete = done.decisions.find(
            (d: any) => d.decision === 'complete',
          );
          expect(complete.candidate).toMatchObject({
            version: '1.4.0',
            finished: 1,
            failed: 0,
          });
          const after = await request(server)
            .get(`${API}/agents`)
            .set('authorization', ADMIN);
          expect(after.body.items[0].stableVersion).toBe('1.4.0');
          // The promoted version is what plans now, for everyone.
          const next = await call.plan([...unused][0]);
          expect(next.agent.version).toBe('1.4.0');
          expect(next.agentChoice).toBe('stable');
          await data.destroy();
        },
      );
    },
  );

  itOn(databases, 'POSTGRES_15')(
    'two instances on one PostgreSQL see one rollout: one decision per step, the same assignment',
    async () => {
      const tables = Object.fromEntries(
        Array.from({ length: 12 }, (_, i) => [`t${i}`, SMALL]),
      );
      const stateKnex = await databases.init('POSTGRES_15');
      const warehouse = await engineConnection(
        databases,
        'POSTGRES_15',
        'warehouse',
      );
      const data = knexFactory({
        client: warehouse.client,
        connection: warehouse.connection as Knex.StaticConnectionConfig,
      });
      await seed(data, tables);
      const instance = () =>
        startTestPlugin({
          config: {
            connections: {
              warehouse: {
                client: warehouse.client,
                connection: warehouse.connection,
              },
            },
            rules: [{ name: 'v2', target: { table: '{table}_v2' } }],
            agents: { sql: { stableVersion: '1.3.0' } },
            executor: { workerSlots: 1, leaseSeconds: 5 },
          },
          entities: Object.keys(tables).map(t =>
            datasetEntity(t, `warehouse:${t}`),
          ),
          features: [
            offering(new SqlAgent(SQL_AGENT_CANDIDATE)),
            mockServices.database.factory({ knex: stateKnex }),
          ],
        });
      const serverA = await instance();
      const serverB = await instance();
      const [a, b] = [api(serverA), api(serverB)];
      const body = {
        agentId: 'sql',
        candidateVersion: '1.4.0',
        steps: [50, 100],
        minPerStep: 1,
        bakeSeconds: 0,
        gates: GATES,
        onAbort: 'finish',
      };
      const created = await request(serverA)
        .post(`${API}/rollouts`)
        .set('authorization', ADMIN)
        .send(body);
      expect(created.status).toBe(201);
      const rolloutId = created.body.rollout.id;
      // B refuses a second rollout of the same agent: the state is one.
      const second = await request(serverB)
        .post(`${API}/rollouts`)
        .set('authorization', ADMIN)
        .send({ ...body, steps: [100] });
      expect(second.status).toBe(409);

      const inside = Object.keys(tables).filter(
        t => rolloutBucket(rolloutId, `resource:default/${t}`) < 50,
      );
      // Both instances assign a dataset alike.
      const [fromA, fromB] = [await a.plan(inside[0]), await b.plan(inside[0])];
      expect(fromA.agent.version).toBe('1.4.0');
      expect(fromB.hash).toBe(fromA.hash);
      expect(fromB.agentChoice).toBe(fromA.agentChoice);

      await a.waitFor(await a.migrate(fromA), ['awaiting_cleanup']);
      // Both loops judge the step; one promotion is recorded, seen alike by both.
      await b.waitForRollout(rolloutId, r => r.step === 1, 'step 2');
      await sleep(3_000);
      const [seenA, seenB] = [
        await a.rollout(rolloutId),
        await b.rollout(rolloutId),
      ];
      expect(seenA.step).toBe(1);
      expect(seenB.decisions).toEqual(seenA.decisions);
      expect(
        seenA.decisions.filter((d: any) => d.decision === 'promote'),
      ).toHaveLength(1);
      const later = await b.plan(inside[1]);
      expect(later.agentChoice).toBe(
        `candidate: rollout ${rolloutId}, step 2 of 2, 100 %`,
      );
      await data.destroy();
    },
  );

  itOn(databases, 'POSTGRES_15')(
    'aborts a faulty candidate after its minimum sample, plans its queued work again with the stable version, and leaves no dataset half-migrated',
    async () => {
      const tables: Record<string, number> = {
        big1: BIG,
        big2: BIG,
        ...Object.fromEntries(
          Array.from({ length: 4 }, (_, i) => [`small${i}`, SMALL]),
        ),
      };
      const { server, data } = await start(
        'POSTGRES_15',
        tables,
        new FaultyAgent(),
      );
      const call = api(server);
      const created = await request(server)
        .post(`${API}/rollouts`)
        .set('authorization', ADMIN)
        .send({
          agentId: 'sql',
          candidateVersion: '1.5.0',
          steps: [100],
          minPerStep: 2,
          bakeSeconds: 0,
          gates: GATES,
          onAbort: 'finish',
        });
      const rolloutId = created.body.rollout.id;

      // A campaign paced at one start a minute keeps candidate work queued.
      const campaign = await request(server)
        .post(`${API}/campaigns`)
        .set('authorization', ADMIN)
        .send({
          name: 'small tables',
          selector: { nameGlob: 'small*' },
          mode: 'auto',
          pacing: { maxRunning: 1, startsPerMinute: 1 },
          failureBudget: { window: 10, maxFailureRate: 1 },
        });
      expect(campaign.status).toBe(201);
      const campaignId = campaign.body.campaign.id;
      const datasets = async (state: string) =>
        (
          await request(server)
            .get(`${API}/campaigns/${campaignId}/datasets?state=${state}`)
            .set('authorization', ADMIN)
        ).body.items;
      // One start a minute: once the first has started, three wait queued for the
      // next minute, longer than this test needs.
      let queuedBefore: any[] = [];
      for (let i = 0; i < 600; i++) {
        queuedBefore = await datasets('queued');
        const started = (
          await Promise.all(
            ['running', 'awaiting_cleanup', 'completed'].map(datasets),
          )
        ).flat();
        if (queuedBefore.length === 3 && started.length === 1) break;
        await sleep(100);
      }
      expect(queuedBefore).toHaveLength(3);

      const failed = [];
      for (const table of ['big1', 'big2']) {
        const plan = await call.plan(table);
        expect(plan.agent.version).toBe('1.5.0');
        expect(plan.preflight?.status).toBe('passed');
        failed.push(
          await call.waitFor(await call.migrate(plan), [
            'failed',
            'rolled_back',
          ]),
        );
      }
      const aborted = await call.waitForRollout(
        rolloutId,
        r => r.status === 'aborted',
        'aborted',
      );
      const abort = aborted.decisions.find((d: any) => d.decision === 'abort');
      expect(abort.message).toMatch(/failure rate|verify mismatch rate/);
      // Judged once the minimum sample finished: the first big table's verify
      // mismatch is among them (the small tables' copies are right).
      expect(abort.candidate.finished).toBeGreaterThanOrEqual(2);
      expect(abort.candidate.verifyMismatches).toBeGreaterThanOrEqual(1);
      expect(abort.candidate.failed).toBeGreaterThanOrEqual(1);

      // The candidate's queued migrations were cancelled and their datasets planned
      // again by the stable version, and queued again.
      for (const before of queuedBefore) {
        const old = await request(server)
          .get(`${API}/migrations/${before.migrationId}`)
          .set('authorization', ADMIN);
        expect(old.body.migration).toMatchObject({
          status: 'cancelled',
          agent: { version: '1.5.0' },
        });
      }
      let requeued: any[] = [];
      for (let i = 0; i < 300 && requeued.length < 3; i++) {
        requeued = (await datasets('queued')).filter(
          (d: any) =>
            !queuedBefore.some((b: any) => b.migrationId === d.migrationId),
        );
        await sleep(100);
      }
      expect(requeued).toHaveLength(3);
      for (const dataset of requeued) {
        const migration = await request(server)
          .get(`${API}/migrations/${dataset.migrationId}`)
          .set('authorization', ADMIN);
        expect(migration.body.migration.agent.version).toBe('1.3.0');
      }
      // A plan now is the stable version's.
      expect((await call.plan('big1')).agent.version).toBe('1.3.0');

      // Nothing half-migrated: each failed source is whole, its target gone.
      for (const [i, table] of ['big1', 'big2'].entries()) {
        expect(
          failed[i].steps.find((s: any) => s.name === 'verify'),
        ).toBeTruthy();
        const [{ n }] = await data(table).count({ n: '*' });
        expect(Number(n)).toBe(BIG);
        expect(await data.schema.hasTable(`${table}_v2`)).toBe(false);
      }
      await request(server)
        .post(`${API}/campaigns/${campaignId}/cancel`)
        .set('authorization', ADMIN);
      await data.destroy();
    },
  );
});
