import {
  DatasetMigrationsClient,
  MIGRATION_ACTIONS,
} from '@internal/backstage-plugin-dataset-migrations-common';
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
import { spec } from '../schema/openapi';

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
    db.exec(`CREATE TABLE "orders" ("id" INTEGER PRIMARY KEY, "note" TEXT)`);
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
      },
      entities: [datasetEntity('orders', 'warehouse:orders')],
    })) as http.Server;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

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

    // A request the spec allows, per operation: adding a route to the spec without
    // one here fails below, naming it.
    const examples: Record<string, () => request.Test> = {
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
          `${API}/migrations?entityRef=${ORDERS}&status=queued&limit=5`,
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
      // The dataset has no consumers: no report, so no patch or pull request.
      'ListMigrationConsumers 200',
      'CheckMigrationConsumers 200',
      'OpenConsumerPullRequest 404',
      'GetConsumerPatch 404',
      'ListWorkers 200',
    ]);
    for (const action of MIGRATION_ACTIONS) {
      expect(operations.map(o => o.route)).toContain(
        `/migrations/{id}/${action}`,
      );
    }
  });

  it('refuses what the spec refuses with a 400 naming the field, changing nothing', async () => {
    const before = await request(server).get(`${API}/migrations`);
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
        /^Invalid query: limit must be <= 100 \(limit: .*from 1 to 100/,
      ],
      [
        request(server).get(`${API}/migrations/stats?status=done`),
        /status must be equal to one of the allowed values: queued, running/,
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
        /follow must be equal to one of the allowed values: true, false/,
      ],
      // What the spec cannot say stays in validation.ts, worded as before.
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
    const after = await request(server).get(`${API}/migrations`);
    expect(after.body).toEqual(before.body);
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
});
