import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  CAMPAIGN_ACTIONS,
  CampaignsClient,
  DatasetMigrationsClient,
  MIGRATION_ACTIONS,
  type NewCampaignRequest,
  type NewRolloutRequest,
  RolloutsClient,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { datasetMigrationsAgentsExtensionPoint } from '@internal/backstage-plugin-dataset-migrations-node';
import { ResponseError } from '@backstage/errors';
import Database from 'better-sqlite3';
import yaml from 'js-yaml';
import fs from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { datasetEntity } from '../__testUtils__/datasetEntity';
import { startTestPlugin } from '../__testUtils__/testBackend';
import { SQL_AGENT_CANDIDATE, SqlAgent } from '../plan/SqlAgent';
import { spec } from '../schema/openapi';
import { removeTempDir } from '../__testUtils__/tempDir';

jest.setTimeout(60_000);

/**
 * The spec (src/schema/openapi.yaml), the router and the generated client agree: the
 * router validates with the spec as it is on disk, serves every operation of it with a
 * status the spec documents, refuses what the spec refuses naming the field, and the
 * client of -common talks to it.
 */

const API = '/api/dataset-migrations';
const ORDERS = 'resource:default/orders';
const OTHER_ID = '6f1c8f0e-3b6a-4b8e-9d3c-2a7e5b1c0d9f';
const METHODS = ['get', 'post', 'put', 'delete', 'patch'] as const;
const LEGACY_A = 'resource:default/legacy-a';
const LEGACY_B = 'resource:default/legacy-b';

/** A campaign over one dataset, waiting for its owner's approval. */
const campaignOver = (name: string): NewCampaignRequest => ({
  name: `Move ${name}`,
  selector: { nameGlob: name },
  mode: 'owner-approval',
  pacing: { maxRunning: 1, startsPerMinute: 60 },
  failureBudget: { window: 5, maxFailureRate: 0.5 },
});

const ROLLOUT: NewRolloutRequest = {
  agentId: 'sql',
  candidateVersion: SQL_AGENT_CANDIDATE.version,
  steps: [5, 50, 100],
  minPerStep: 10,
  bakeSeconds: 3600,
  gates: {
    maxFailureRateMargin: 0.05,
    maxRollbackRateMargin: 0.05,
    maxVerifyMismatchMargin: 0,
    minThroughputShare: 0.8,
  },
  onAbort: 'finish',
};

/** The SQL agent's candidate version, offered as a module would, for rollouts. */
const candidateAgent = createBackendModule({
  pluginId: 'dataset-migrations',
  moduleId: 'spec-test-candidate',
  register(reg) {
    reg.registerInit({
      deps: { agents: datasetMigrationsAgentsExtensionPoint },
      async init({ agents }) {
        agents.addAgent(new SqlAgent(SQL_AGENT_CANDIDATE));
      },
    });
  },
});

type Operation = {
  operationId: string;
  responses: Record<string, unknown>;
};

/** Every operation of the spec as `method path`, with its documented statuses. */
const operations = Object.entries(spec.paths).flatMap(([route, item]) =>
  METHODS.filter(method => method in item).map(method => {
    const operation = (item as Record<string, Operation>)[method];
    return {
      method,
      route,
      id: operation.operationId,
      statuses: Object.keys(operation.responses).map(Number),
    };
  }),
);

describe('the API and its OpenAPI spec', () => {
  let dir: string;
  let server: http.Server;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-spec-'));
    const file = path.join(dir, 'warehouse.sqlite');
    const db = new Database(file);
    for (const table of ['orders', 'legacy_a', 'legacy_b']) {
      db.exec(
        `CREATE TABLE "${table}" ("id" INTEGER PRIMARY KEY, "note" TEXT)`,
      );
    }
    db.prepare(`INSERT INTO "orders" VALUES (1, 'n')`).run();
    db.close();
    server = (await startTestPlugin({
      config: {
        connections: {
          warehouse: {
            client: 'better-sqlite3',
            connection: { filename: file },
          },
        },
        rules: [{ name: 'renamed', target: { table: '{table}_v2' } }],
        // API-only: migrations stay queued until an action moves them.
        executor: { workerSlots: 0 },
        agents: { sql: { stableVersion: '1.3.0' } },
      },
      entities: [
        datasetEntity('orders', 'warehouse:orders'),
        datasetEntity('legacy-a', 'warehouse:legacy_a'),
        datasetEntity('legacy-b', 'warehouse:legacy_b'),
      ],
      features: [candidateAgent],
    })) as http.Server;
  });
  afterAll(() => removeTempDir(dir));

  it('validates with the spec as src/schema/openapi.yaml holds it', () => {
    const onDisk = yaml.load(
      fs.readFileSync(path.join(__dirname, '../schema/openapi.yaml'), 'utf8'),
    );
    // If this fails, run `yarn generate:openapi` at the repository root.
    expect(JSON.parse(JSON.stringify(spec))).toEqual(onDisk);
  });

  it('serves every operation of the spec, answering only statuses it documents', async () => {
    const plan = await request(server)
      .post(`${API}/plans`)
      .send({ entityRef: ORDERS });
    expect(plan.status).toBe(200);
    const started = await request(server)
      .post(`${API}/migrations`)
      .send({ entityRef: ORDERS, planHash: plan.body.plan.hash });
    expect(started.status).toBe(202);
    const id: string = started.body.migration.id;
    // Campaign B's dataset is declined below; campaign A is created, acted on and
    // cancelled by the examples, the rollout started and aborted.
    const campaignB = await request(server)
      .post(`${API}/campaigns`)
      .send(campaignOver('legacy-b'));
    expect(campaignB.status).toBe(201);
    let campaignA = OTHER_ID;
    let rolloutId = OTHER_ID;

    // A request the spec allows, per operation: adding a route to the spec without
    // one here fails below, naming it.
    const examples: Record<string, () => PromiseLike<request.Response>> = {
      GetHealth: () => request(server).get(`${API}/health`),
      ListConnections: () => request(server).get(`${API}/connections`),
      CreatePlan: () =>
        request(server).post(`${API}/plans`).send({ entityRef: ORDERS }),
      StartMigration: () =>
        request(server)
          .post(`${API}/migrations`)
          .send({ entityRef: ORDERS, planHash: plan.body.plan.hash }),
      ListMigrations: () =>
        request(server).get(
          `${API}/migrations?entityRef=${ORDERS}&status=queued&search=orders&orderBy=status&order=asc&limit=5`,
        ),
      GetMigrationStats: () =>
        request(server).get(
          `${API}/migrations/stats?createdAfter=2020-01-01T00:00:00Z`,
        ),
      GetMigration: () => request(server).get(`${API}/migrations/${id}`),
      StreamMigrationEvents: () =>
        request(server).get(`${API}/migrations/${id}/events?follow=false`),
      CancelMigration: () =>
        request(server).post(`${API}/migrations/${id}/cancel`).send({}),
      RetryMigration: () =>
        request(server).post(`${API}/migrations/${id}/retry`).send({}),
      RollbackMigration: () =>
        request(server).post(`${API}/migrations/${id}/rollback`).send({}),
      FinalizeMigration: () =>
        request(server).post(`${API}/migrations/${OTHER_ID}/finalize`),
      GetFleet: () => request(server).get(`${API}/fleet`),
      ListMigrationConsumers: () =>
        request(server).get(`${API}/migrations/${id}/consumers`),
      CheckMigrationConsumers: () =>
        request(server)
          .post(`${API}/migrations/${id}/consumers/check`)
          .send({}),
      OpenConsumerPullRequest: () =>
        request(server)
          .post(
            `${API}/migrations/${id}/consumers/${encodeURIComponent(
              'component:default/billing',
            )}/pull-request`,
          )
          .send({}),
      GetConsumerPatch: () =>
        request(server).get(
          `${API}/migrations/${id}/consumers/${encodeURIComponent(
            'component:default/billing',
          )}/patch`,
        ),
      ListWorkers: () => request(server).get(`${API}/fleet/workers`),
      ListCampaigns: () => request(server).get(`${API}/campaigns`),
      CreateCampaign: async () => {
        const res = await request(server)
          .post(`${API}/campaigns`)
          .send(campaignOver('legacy-a'));
        campaignA = res.body.campaign?.id ?? OTHER_ID;
        return res;
      },
      GetCampaign: () => request(server).get(`${API}/campaigns/${campaignA}`),
      ListCampaignDatasets: () =>
        request(server).get(
          `${API}/campaigns/${campaignA}/datasets?state=matched&owner=group:default/data-platform&search=orders&orderBy=owner&order=desc&limit=10`,
        ),
      PauseCampaign: () =>
        request(server).post(`${API}/campaigns/${campaignA}/pause`).send({}),
      ResumeCampaign: () =>
        request(server).post(`${API}/campaigns/${campaignA}/resume`),
      CancelCampaign: () =>
        request(server).post(`${API}/campaigns/${campaignA}/cancel`).send({}),
      ReplanCampaign: () =>
        request(server).post(`${API}/campaigns/${campaignA}/replan`).send({}),
      FinalizeCampaign: () =>
        request(server).post(`${API}/campaigns/${campaignA}/finalize`).send({}),
      ApproveCampaignDataset: () =>
        request(server)
          .post(`${API}/campaigns/${campaignB.body.campaign.id}/approve`)
          .send({ entityRef: LEGACY_B, planHash: 'f'.repeat(64) }),
      DeclineCampaignDataset: () =>
        request(server)
          .post(`${API}/campaigns/${campaignB.body.campaign.id}/decline`)
          .send({ entityRef: LEGACY_B }),
      GetDatasetNewHome: () =>
        request(server).get(
          `${API}/dataset-new-home?entityRef=${ORDERS}&location=warehouse:orders`,
        ),
      GetDatasetTable: () =>
        request(server).get(
          `${API}/dataset-table?entityRef=${ORDERS}&location=warehouse:orders`,
        ),
      ListDatasetCampaigns: () =>
        request(server).get(`${API}/dataset-campaigns?entityRef=${LEGACY_B}`),
      ListAgents: () => request(server).get(`${API}/agents`),
      ListRollouts: () => request(server).get(`${API}/rollouts`),
      CreateRollout: async () => {
        const res = await request(server).post(`${API}/rollouts`).send(ROLLOUT);
        rolloutId = res.body.rollout?.id ?? OTHER_ID;
        return res;
      },
      GetRollout: () => request(server).get(`${API}/rollouts/${rolloutId}`),
      AbortRollout: () =>
        request(server).post(`${API}/rollouts/${rolloutId}/abort`),
    };
    expect(operations.map(o => o.id).sort()).toEqual(
      Object.keys(examples).sort(),
    );

    const answers: string[] = [];
    for (const operation of operations) {
      const res = await examples[operation.id]();
      answers.push(`${operation.id} ${res.status}`);
      expect({
        operation: operation.id,
        status: res.status,
        documented: operation.statuses.includes(res.status),
      }).toEqual({
        operation: operation.id,
        status: res.status,
        documented: true,
      });
      // Served, not fallen through: a route's own 404 names what is missing.
      expect(
        res.status !== 404 || res.body.error?.name === 'NotFoundError',
      ).toBe(true);
      expect(res.headers['content-type']).toMatch(
        operation.id === 'StreamMigrationEvents' && res.status === 200
          ? /^text\/event-stream/
          : /^application\/json/,
      );
    }
    // The examples reach more than the refusals: each 2xx of the spec is answered.
    expect(answers).toEqual([
      'GetHealth 200',
      'ListConnections 200',
      'CreatePlan 200',
      'ListMigrations 200',
      // The same dataset is already held by the queued migration.
      'StartMigration 409',
      'GetMigrationStats 200',
      'GetMigration 200',
      'StreamMigrationEvents 200',
      'CancelMigration 200',
      'RetryMigration 200',
      // Queued again: not running, so rollback is refused with the reason.
      'RollbackMigration 409',
      'FinalizeMigration 404',
      'GetFleet 200',
      // The dataset has no consumers: no report, so no patch or pull request.
      'ListMigrationConsumers 200',
      'CheckMigrationConsumers 200',
      'OpenConsumerPullRequest 404',
      'GetConsumerPatch 404',
      'ListWorkers 200',
      'ListCampaigns 200',
      'CreateCampaign 201',
      'GetCampaign 200',
      'ListCampaignDatasets 200',
      'PauseCampaign 200',
      'ResumeCampaign 200',
      'CancelCampaign 200',
      // Cancelled: only an active or paused campaign is re-planned.
      'ReplanCampaign 409',
      'FinalizeCampaign 200',
      // Not the hash of the plan the owner was shown.
      'ApproveCampaignDataset 409',
      'DeclineCampaignDataset 200',
      'ListDatasetCampaigns 200',
      'GetDatasetNewHome 200',
      'GetDatasetTable 200',
      'ListAgents 200',
      'ListRollouts 200',
      'CreateRollout 201',
      'GetRollout 200',
      'AbortRollout 200',
    ]);
    for (const action of MIGRATION_ACTIONS) {
      expect(operations.map(o => o.route)).toContain(
        `/migrations/{id}/${action}`,
      );
    }
    for (const action of CAMPAIGN_ACTIONS) {
      expect(operations.map(o => o.route)).toContain(
        `/campaigns/{id}/${action}`,
      );
    }
  });

  it('refuses what the spec refuses with a 400 naming the field, changing nothing', async () => {
    const state = () =>
      Promise.all(
        ['migrations', 'campaigns', 'rollouts'].map(
          async list => (await request(server).get(`${API}/${list}`)).body,
        ),
      );
    const before = await state();
    const campaign = campaignOver('orders');
    const refusals: Array<[request.Test, RegExp]> = [
      [
        request(server).post(`${API}/plans`).send({}),
        /^Invalid request body: entityRef is required: the dataset, e\.g\. resource:default\/orders$/,
      ],
      [
        request(server).post(`${API}/plans`).send({ entityRef: ORDERS, x: 1 }),
        /x is not accepted here; send only entityRef/,
      ],
      [
        request(server)
          .post(`${API}/plans`)
          .set('Content-Type', 'application/json')
          .send('[]'),
        /request body: must be a JSON object/,
      ],
      [
        request(server)
          .post(`${API}/plans`)
          .set('Content-Type', 'text/plain')
          .send(ORDERS),
        /sent as text\/plain; send a JSON object with Content-Type: application\/json/,
      ],
      [
        request(server)
          .post(`${API}/migrations`)
          .send({ entityRef: ORDERS, planHash: 'abc' }),
        /planHash .*64-character hex hash of the plan you reviewed/,
      ],
      [
        request(server).get(`${API}/migrations?limit=500`),
        /^Invalid query: limit must be at most 100 \(limit: .*from 1 to 100/,
      ],
      [
        request(server).get(`${API}/migrations/stats?status=done`),
        /status must be one of queued, running/,
      ],
      [
        request(server).get(`${API}/migrations?orderBy=duration`),
        /^Invalid query: orderBy must be one of createdAt, status, entityRef, createdBy/,
      ],
      [
        request(server).get(`${API}/migrations?order=newest`),
        /^Invalid query: order must be one of asc, desc/,
      ],
      [
        request(server).get(
          `${API}/campaigns/${OTHER_ID}/datasets?orderBy=updatedAt`,
        ),
        /^Invalid query: orderBy must be one of entityRef, state, owner/,
      ],
      [
        request(server).get(`${API}/migrations?sort=newest`),
        /sort is not a parameter of GET \/migrations; use entityRef, status/,
      ],
      [
        request(server).get(`${API}/migrations?createdAfter=yesterday`),
        /createdAfter must match format "date-time" .*ISO date-time/,
      ],
      [
        request(server).post(`${API}/migrations/not-a-uuid/cancel`),
        /^Invalid path: id must match format "uuid" \(id: a migration id/,
      ],
      [
        request(server).get(`${API}/migrations/${OTHER_ID}/events?follow=no`),
        /follow must be one of true, false/,
      ],
      [
        request(server)
          .post(`${API}/campaigns`)
          .send({ ...campaign, mode: 'sometimes' }),
        /^Invalid request body: mode must be one of owner-approval, auto \(mode: owner-approval waits/,
      ],
      [
        request(server)
          .post(`${API}/campaigns`)
          .send({ ...campaign, pacing: { maxRunning: 0, startsPerMinute: 1 } }),
        /^Invalid request body: pacing\.maxRunning must be at least 1 \(pacing\.maxRunning: migrations of the campaign running at once/,
      ],
      [
        request(server)
          .post(`${API}/campaigns`)
          .send({ ...campaign, failureBudget: { window: 5 } }),
        /failureBudget\.maxFailureRate is required: the share of failed ones/,
      ],
      [
        request(server)
          .post(`${API}/campaigns`)
          .send({ ...campaign, selector: { owner: ['group:default/a'] } }),
        /selector\.owner is not accepted here; send only selector\.owners, selector\.connections/,
      ],
      [
        request(server).get(`${API}/campaigns/not-an-id`),
        /^Invalid path: id must match format "uuid" \(id: a campaign id/,
      ],
      [
        request(server).get(`${API}/campaigns/${OTHER_ID}/datasets?limit=500`),
        /^Invalid query: limit must be at most 200/,
      ],
      [
        request(server).get(`${API}/dataset-campaigns`),
        /^Invalid query: entityRef is required: the dataset/,
      ],
      [
        request(server)
          .post(`${API}/campaigns/${OTHER_ID}/approve`)
          .send({ entityRef: LEGACY_A, planHash: 'abc' }),
        /planHash must match pattern .*64-character hex hash/,
      ],
      [
        request(server)
          .post(`${API}/rollouts`)
          .send({ ...ROLLOUT, steps: [0, 100] }),
        /steps\.0 must be at least 1 \(steps\.0: traffic shares in percent/,
      ],
      [
        request(server)
          .post(`${API}/rollouts`)
          .send({
            ...ROLLOUT,
            gates: { ...ROLLOUT.gates, minThroughputShare: 80 },
          }),
        /gates\.minThroughputShare must be at most 1 \(gates\.minThroughputShare: how much worse/,
      ],
      [
        request(server).post(`${API}/rollouts/not-a-uuid/abort`),
        /^Invalid path: id must match format "uuid" \(id: a rollout id/,
      ],
      // What the spec cannot say stays in the zod files, worded as before.
      [
        request(server)
          .post(`${API}/campaigns`)
          .send({ ...campaign, name: 'Move\u0007' }),
        /^Invalid request body: name must not hold control characters$/,
      ],
      [
        request(server)
          .post(`${API}/rollouts`)
          .send({ ...ROLLOUT, steps: [50, 5, 100] }),
        /^Invalid request body: steps must rise step by step, e\.g\. \[5, 25, 50, 100\]$/,
      ],
      [
        request(server)
          .post(`${API}/rollouts`)
          .send({ ...ROLLOUT, steps: [5, 50] }),
        /steps must end at 100/,
      ],
      [
        request(server).get(`${API}/dataset-campaigns?entityRef=not%20a%20ref`),
        /entityRef "not a ref" is not an entity reference/,
      ],
      [
        request(server).post(`${API}/plans`).send({ entityRef: 'a\u0000b' }),
        /^Invalid request body: entityRef must not hold control characters$/,
      ],
      [
        request(server).post(`${API}/plans`).send({ entityRef: 'not a ref' }),
        /entityRef "not a ref" is not an entity reference such as resource:default\/orders/,
      ],
    ];
    for (const [pending, message] of refusals) {
      const res = await pending;
      expect({ status: res.status, message: res.body.error?.message }).toEqual({
        status: 400,
        message: expect.stringMatching(message),
      });
      expect(res.body.error.name).toBe('InputError');
    }
    expect(await state()).toEqual(before);
  });

  it('is what the client of -common talks to', async () => {
    const { port } = server.address() as AddressInfo;
    const client = new DatasetMigrationsClient({
      discoveryApi: {
        getBaseUrl: async () => `http://127.0.0.1:${port}${API}`,
      },
      fetchApi: { fetch },
    });
    expect((await client.listConnections()).items).toEqual([
      { name: 'warehouse', client: 'better-sqlite3' },
    ]);
    const { plan } = await client.createPlan(ORDERS);
    expect(plan.hash).toMatch(/^[0-9a-f]{64}$/);
    const page = await client.listMigrations({ entityRef: ORDERS, limit: 1 });
    expect(page.items).toHaveLength(1);
    const id = page.items[0].id;
    expect((await client.getMigration(id)).migration.entityRef).toBe(ORDERS);
    expect((await client.getMigrationStats({ entityRef: ORDERS })).total).toBe(
      1,
    );
    expect(Array.isArray((await client.listWorkers()).items)).toBe(true);
    const { migration } = await client.actOnMigration(id, 'cancel');
    expect(migration.status).toBe('cancelled');

    // Refusals keep the backend's own reason, as the pages show it.
    const refused = await client.actOnMigration(id, 'finalize').catch(e => e);
    expect(refused).toBeInstanceOf(ResponseError);
    expect(refused.response.status).toBe(409);
    expect(refused.body.error.message).toMatch(/you can/);
    const invalid = await client.startMigration(ORDERS, 'x').catch(e => e);
    expect(invalid.response.status).toBe(400);
    expect(invalid.body.error.message).toMatch(/planHash/);
  });

  it('is what the campaigns and rollouts clients of -common talk to', async () => {
    const { port } = server.address() as AddressInfo;
    const options = {
      discoveryApi: {
        getBaseUrl: async () => `http://127.0.0.1:${port}${API}`,
      },
      fetchApi: { fetch },
    };
    const campaigns = new CampaignsClient(options);
    const preview = await campaigns.createCampaign({
      ...campaignOver('legacy-*'),
      dryRun: true,
    });
    expect(preview.campaign).toBeUndefined();
    // Neither campaign holds its dataset any more (cancelled, declined).
    expect(preview.dryRun).toMatchObject({ matched: 2, alreadyActive: 0 });
    const { items } = await campaigns.listCampaigns();
    expect(items.map(c => c.name).sort()).toEqual([
      'Move legacy-a',
      'Move legacy-b',
    ]);
    const [a, b] = items.sort((x, y) => x.name.localeCompare(y.name));
    expect((await campaigns.getCampaign(a.id)).campaign).toMatchObject({
      status: 'cancelled',
      counts: { skipped: 1 },
    });
    const page = await campaigns.listCampaignDatasets(a.id, {
      state: 'skipped',
      limit: 5,
    });
    expect(page.items.map(d => d.entityRef)).toEqual([LEGACY_A]);
    const [membership] = (await campaigns.listDatasetCampaigns(LEGACY_B)).items;
    expect(membership).toMatchObject({
      campaignName: 'Move legacy-b',
      state: 'skipped',
    });
    expect((await campaigns.actOnCampaign(a.id, 'finalize')).affected).toBe(0);
    const resumed = await campaigns.actOnCampaign(a.id, 'resume').catch(e => e);
    expect(resumed.response.status).toBe(409);
    expect(resumed.body.error.message).toMatch(
      /it is cancelled; resume works on paused campaigns/,
    );
    // B let go of its only dataset: whether or not it has completed yet, the dataset
    // can be neither declined nor approved again.
    for (const again of [
      campaigns.declineCampaignDataset(b.id, LEGACY_B),
      campaigns.approveCampaignDataset(b.id, LEGACY_B, 'f'.repeat(64)),
    ]) {
      expect((await again.catch(e => e)).response.status).toBe(409);
    }

    const rollouts = new RolloutsClient(options);
    expect((await rollouts.listAgents()).items).toEqual([
      {
        id: 'sql',
        versions: expect.arrayContaining(['1.3.0', '1.4.0']),
        stableVersion: '1.3.0',
      },
    ]);
    const bad = await rollouts
      .createRollout({ ...ROLLOUT, steps: [5, 50] })
      .catch(e => e);
    expect(bad.response.status).toBe(400);
    expect(bad.body.error.message).toMatch(/steps must end at 100/);
    const { rollout } = await rollouts.createRollout(ROLLOUT);
    expect(rollout).toMatchObject({ status: 'active', share: 5 });
    expect((await rollouts.listRollouts()).items[0].id).toBe(rollout.id);
    expect((await rollouts.abortRollout(rollout.id)).rollout.status).toBe(
      'aborted',
    );
    const detail = (await rollouts.getRollout(rollout.id)).rollout;
    expect(detail.decisions.map(d => d.decision)).toEqual(
      expect.arrayContaining(['start', 'abort']),
    );
  });
});
