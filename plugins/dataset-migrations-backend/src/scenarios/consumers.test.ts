/* eslint-disable jest/no-standalone-expect -- the engine tests run through `itOn`, which is
   `it` whenever the engine is available (always under CI=true). */
import {
  createBackendModule,
  type BackendFeature,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { datasetMigrationsAgentsExtensionPoint } from '@internal/backstage-plugin-dataset-migrations-node';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { consumerFileReader } from '../consumers/consumerFileReader';
import { datasetEntity } from '../__testUtils__/datasetEntity';
import { standInConsumerAgent } from '../__testUtils__/standInConsumerAgent';
import { startTestPlugin, stopTestPlugins } from '../__testUtils__/testBackend';
import { createTestDatabases, itOn } from '../__testUtils__/testDatabases';
import { removeTempDir } from '../__testUtils__/tempDir';

jest.setTimeout(120_000);

const API = '/api/dataset-migrations';
const DASHBOARD = 'component:default/revenue-dashboard';
const DASHBOARD_SQL = `-- the dashboard's accounts
SELECT id, fullName FROM customerAccounts WHERE id <= 3 ORDER BY id;
SELECT count(*) FROM orders;
`;

const standInAgentModule: BackendFeature = createBackendModule({
  pluginId: 'dataset-migrations',
  moduleId: 'stand-in-consumer-agent',
  register(reg) {
    reg.registerInit({
      deps: { agents: datasetMigrationsAgentsExtensionPoint },
      async init({ agents }) {
        agents.addConsumerAgent(standInConsumerAgent());
      },
    });
  },
});

/** The dashboard, registered from `<dir>/dashboard/catalog-info.yaml`. */
const dashboardEntity = (dir: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'revenue-dashboard',
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location': `file:${dir}/dashboard/catalog-info.yaml`,
      'dataset-migrations.io/sql': 'queries/*.sql',
    },
  },
  spec: { type: 'website', owner: 'group:default/analytics' },
  relations: [
    { type: 'dependsOn', targetRef: 'resource:default/customer-accounts' },
  ],
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>) {
  for (let i = 0; i < 600; i++) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe('consumers of a migrated dataset, through the API', () => {
  const databases = createTestDatabases();
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-consumer-api-'));
    const db = new Database(path.join(dir, 'warehouse.sqlite'));
    db.exec(`CREATE TABLE "customerAccounts" ("id" INTEGER PRIMARY KEY, "fullName" TEXT NOT NULL);
      CREATE TABLE "orders" ("id" INTEGER PRIMARY KEY);`);
    const insert = db.prepare(`INSERT INTO "customerAccounts" VALUES (?, ?)`);
    for (let i = 1; i <= 50; i++) insert.run(i, `Person ${i}`);
    db.close();
    fs.mkdirSync(path.join(dir, 'dashboard/queries'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'dashboard/catalog-info.yaml'), '');
    fs.writeFileSync(
      path.join(dir, 'dashboard/queries/accounts.sql'),
      DASHBOARD_SQL,
    );
  });
  afterEach(async () => {
    await stopTestPlugins();
    removeTempDir(dir);
  });

  async function startPlugin(stateOn: TestDatabaseId, audits: string[]) {
    const auditor = mockServices.auditor.mock({
      createEvent: async ({ eventId, meta }) => ({
        success: async (options?: { meta?: Record<string, unknown> }) => {
          audits.push(
            `${eventId}: success ${JSON.stringify({
              ...meta,
              ...options?.meta,
            })}`,
          );
        },
        fail: async () => {
          audits.push(`${eventId}: fail`);
        },
      }),
    });
    return startTestPlugin({
      config: {
        connections: {
          warehouse: {
            client: 'better-sqlite3',
            connection: { filename: path.join(dir, 'warehouse.sqlite') },
          },
        },
        rules: [
          {
            name: 'snake',
            match: { connection: 'warehouse' },
            renameColumns: 'snake_case',
            target: { table: '{table:snake}' },
          },
        ],
        executor: { workerSlots: 1, leaseSeconds: 5, retryBaseSeconds: 0.1 },
        consumers: { fileRoots: [dir] },
      },
      entities: [
        {
          ...datasetEntity('customer-accounts', 'warehouse:customerAccounts'),
          relations: [{ type: 'dependencyOf', targetRef: DASHBOARD }],
        },
        dashboardEntity(dir),
      ],
      features: [
        consumerFileReader,
        standInAgentModule,
        auditor.factory,
        mockServices.database.factory({ knex: await databases.init(stateOn) }),
      ],
    });
  }

  /** Starts the migration and waits until it is cut over and its consumers checked. */
  async function cutOver(server: any) {
    const plan = (
      await request(server)
        .post(`${API}/plans`)
        .send({ entityRef: 'resource:default/customer-accounts' })
    ).body.plan;
    const started = await request(server).post(`${API}/migrations`).send({
      entityRef: 'resource:default/customer-accounts',
      planHash: plan.hash,
    });
    expect(started.status).toBe(202);
    const id: string = started.body.migration.id;
    await waitFor('awaiting cleanup', async () => {
      const res = await request(server).get(`${API}/migrations/${id}`);
      return res.body.migration.status === 'awaiting_cleanup'
        ? true
        : undefined;
    });
    // The runner checks the consumers by itself once the migration is cut over.
    const items = await waitFor('the consumer check', async () => {
      const res = await request(server).get(
        `${API}/migrations/${id}/consumers`,
      );
      expect(res.status).toBe(200);
      return res.body.items.length > 0 ? res.body.items : undefined;
    });
    return { id, items };
  }

  describe.each(['SQLITE_3', 'POSTGRES_15', 'MYSQL_8'] as const)(
    'with the plugin state on %s',
    stateOn => {
      itOn(databases, stateOn)(
        'serves the reports and the patch; finalize waits until the patch is applied',
        async () => {
          const audits: string[] = [];
          const server = await startPlugin(stateOn, audits);
          const { id, items } = await cutOver(server);
          expect(items).toHaveLength(1);
          const [report] = items;
          expect(report).toMatchObject({
            entityRef: DASHBOARD,
            counts: { statements: 2, rewritten: 1 },
            error: null,
          });
          expect(report.status).not.toBe('repointed');
          expect(report.files[0].statements[0]).toMatchObject({
            line: 2,
            // The built-in SQL consumer agent keeps the result's column names.
            rewritten:
              'SELECT id, full_name AS fullName FROM customer_accounts WHERE id <= 3 ORDER BY id',
            outcome: 'verified',
          });

          const patch = await request(server).get(
            `${API}/migrations/${id}/consumers/${encodeURIComponent(
              DASHBOARD,
            )}/patch`,
          );
          expect(patch.status).toBe(200);
          expect(patch.headers['content-type']).toMatch(/text\/x-diff/);
          expect(patch.text).toContain('+++ b/queries/accounts.sql');

          const refused = await request(server).post(
            `${API}/migrations/${id}/finalize`,
          );
          expect(refused.status).toBe(409);
          expect(refused.body.error.message).toMatch(
            /1 consumer\(s\) still read the old name.*component:default\/revenue-dashboard \(accounts\.sql line 2\).*overrideConsumers: true/,
          );

          // The owner merges the patch; the next finalize reads the code again and goes.
          execFileSync('git', ['apply', '-'], {
            cwd: path.join(dir, 'dashboard'),
            input: patch.text,
          });
          const checked = await request(server).post(
            `${API}/migrations/${id}/consumers/check`,
          );
          expect(checked.status).toBe(200);
          expect(checked.body.items[0].status).toBe('repointed');
          const finalized = await request(server).post(
            `${API}/migrations/${id}/finalize`,
          );
          expect(finalized.status).toBe(200);
          expect(audits).toEqual([
            expect.stringMatching(/^migration-trigger: success/),
            'migration-finalize: fail',
            expect.stringMatching(
              /^migration-finalize: success .*"overrideConsumers":false/,
            ),
          ]);
        },
      );
    },
  );

  it('finalizes over consumers on the old name only when asked, and audits whom it overrode', async () => {
    const audits: string[] = [];
    const server = await startPlugin('SQLITE_3', audits);
    const { id } = await cutOver(server);
    const bad = await request(server)
      .post(`${API}/migrations/${id}/finalize`)
      .send({ overrideConsumers: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/overrideConsumers/);
    const overridden = await request(server)
      .post(`${API}/migrations/${id}/finalize`)
      .send({ overrideConsumers: true });
    expect(overridden.status).toBe(200);
    expect(overridden.body.migration.status).toBe('cleaning_up');
    expect(audits.at(-1)).toMatch(
      /^migration-finalize: success .*"overrideConsumers":true.*"overriddenConsumers":\["component:default\/revenue-dashboard"\]/,
    );
    const events = await request(server).get(
      `${API}/migrations/${id}/events?follow=false`,
    );
    expect(events.text).toMatch(
      /overriding 1 consumer\(s\) still on the old name: component:default\/revenue-dashboard/,
    );
  });
});
