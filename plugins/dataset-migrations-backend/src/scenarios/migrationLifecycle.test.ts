import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { datasetEntity } from '../__testUtils__/datasetEntity';
import {
  startTestPlugin,
  stopTestPlugins,
  type TestBackendOptions,
} from '../__testUtils__/testBackend';
import { removeTempDir } from '../__testUtils__/tempDir';

jest.setTimeout(120_000);

const ROWS = 2_500;

function createWarehouse(file: string) {
  const db = new Database(file);
  db.exec(`CREATE TABLE "customerAccounts" (
    "id" INTEGER PRIMARY KEY,
    "fullName" TEXT NOT NULL,
    "creditLimit" NUMERIC(12,2),
    "isActive" BOOLEAN NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL
  )`);
  const insert = db.prepare(
    `INSERT INTO "customerAccounts" VALUES (?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 1; i <= ROWS; i++) {
      insert.run(
        i,
        `Person ${i} ü`,
        i % 7 === 0 ? null : i * 1.25,
        i % 3 ? 1 : 0,
        `2024-01-${String((i % 28) + 1).padStart(2, '0')} 10:00:00`,
      );
    }
  })();
  db.close();
}

const readAll = (file: string, sql: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
};

async function waitForStatus(server: any, id: string, statuses: string[]) {
  for (let i = 0; i < 600; i++) {
    const res = await request(server).get(
      `/api/dataset-migrations/migrations/${id}`,
    );
    if (statuses.includes(res.body.migration?.status))
      return res.body.migration;
    if (
      ['failed', 'rolled_back', 'cancelled'].includes(
        res.body.migration?.status,
      ) &&
      !statuses.includes(res.body.migration.status)
    ) {
      throw new Error(
        `Migration ended ${res.body.migration.status}: ${res.body.migration.error}`,
      );
    }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`Migration ${id} never reached ${statuses.join('/')}`);
}

/** Asks the API to start migrating the customer accounts under the plan `planHash`. */
const requestStart = (server: any, planHash: string) =>
  request(server).post('/api/dataset-migrations/migrations').send({
    entityRef: 'resource:default/customer-accounts',
    planHash,
  });

describe('a dataset migration end to end through the API (SQLite, one database)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-e2e-'));
    file = path.join(dir, 'warehouse.sqlite');
    createWarehouse(file);
  });
  afterEach(async () => {
    await stopTestPlugins();
    removeTempDir(dir);
  });

  const startPlugin = (options: Partial<TestBackendOptions> = {}) =>
    startTestPlugin({
      config: {
        connections: {
          warehouse: {
            client: 'better-sqlite3',
            connection: { filename: file },
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
      },
      entities: [
        datasetEntity('customer-accounts', 'warehouse:customerAccounts'),
      ],
      ...options,
    });

  it('plans, copies, verifies, cuts over behind a view, and finalizes', async () => {
    const before = readAll(
      file,
      `SELECT * FROM "customerAccounts" ORDER BY "id"`,
    );
    const server = await startPlugin();

    const planRes = await request(server)
      .post('/api/dataset-migrations/plans')
      .send({ entityRef: 'resource:default/customer-accounts' });
    expect(planRes.status).toBe(200);
    const plan = planRes.body.plan;
    expect(plan.preflight).toMatchObject({
      status: 'passed',
      sampleRows: 1000,
    });
    expect(plan.copyStrategy).toBe('push-down');
    expect(plan.compatibility).toBe('view');

    const start = await requestStart(server, plan.hash);
    expect(start.status).toBe(202);
    const id = start.body.migration.id;

    const again = await requestStart(server, plan.hash);
    expect(again.status).toBe(409);

    const waiting = await waitForStatus(server, id, ['awaiting_cleanup']);
    expect(waiting.steps.map((s: any) => [s.name, s.status])).toEqual([
      ['preflight', 'succeeded'],
      ['provision', 'succeeded'],
      ['copy', 'succeeded'],
      ['catch-up', 'succeeded'],
      ['verify', 'succeeded'],
      ['cutover', 'succeeded'],
      ['cleanup', 'pending'],
    ]);
    expect(waiting.steps[2].progress).toMatchObject({
      done: ROWS,
      total: ROWS,
      unit: 'rows',
    });

    // Readers of the old name see the old columns and values through the view.
    expect(
      readAll(file, `SELECT * FROM "customerAccounts" ORDER BY "id"`),
    ).toEqual(before);
    const moved = readAll(
      file,
      `SELECT * FROM "customer_accounts" ORDER BY "id"`,
    ) as any[];
    expect(moved).toHaveLength(ROWS);
    expect(Object.keys(moved[0])).toEqual([
      'id',
      'full_name',
      'credit_limit',
      'is_active',
      'created_at',
    ]);
    const types = readAll(
      file,
      `SELECT type, name FROM sqlite_master WHERE name IN ('customerAccounts', 'customer_accounts')`,
    );
    expect(types).toEqual(
      expect.arrayContaining([
        { type: 'view', name: 'customerAccounts' },
        { type: 'table', name: 'customer_accounts' },
      ]),
    );

    const finalize = await request(server).post(
      `/api/dataset-migrations/migrations/${id}/finalize`,
    );
    expect(finalize.status).toBe(200);
    await waitForStatus(server, id, ['completed']);
    const left = readAll(
      file,
      `SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name`,
    );
    expect(left).toEqual([{ type: 'table', name: 'customer_accounts' }]);

    // The event stream replays everything and ends after the final status.
    const stream = await request(server).get(
      `/api/dataset-migrations/migrations/${id}/events`,
    );
    expect(stream.headers['content-type']).toMatch(/text\/event-stream/);
    const types2 = [...stream.text.matchAll(/"type":"([^"]+)"/g)].map(
      m => m[1],
    );
    expect(types2.filter(t => t === 'step.succeeded')).toHaveLength(7);
    const resumed = await request(server)
      .get(`/api/dataset-migrations/migrations/${id}/events`)
      .set('Last-Event-ID', '3');
    expect(resumed.text).not.toMatch(/^id: [123]$/m);
    expect(resumed.text).toMatch(/^id: 4$/m);

    const list = await request(server).get(
      '/api/dataset-migrations/migrations?entityRef=resource:default/customer-accounts',
    );
    expect(list.body.items.map((m: any) => m.id)).toEqual([id]);
    expect(list.body.items[0]).toMatchObject({
      source: 'warehouse:customerAccounts',
      target: 'warehouse:customer_accounts',
    });

    // The catalog still names the dropped table: the API knows its new home, and a
    // plan of it says where the table went instead of a bare 404.
    const newHome = await request(server).get(
      '/api/dataset-migrations/dataset-new-home?entityRef=resource:default/customer-accounts&location=warehouse:customerAccounts',
    );
    expect(newHome.status).toBe(200);
    expect(newHome.body).toEqual({
      newHome: {
        movedFrom: 'warehouse:customerAccounts',
        location: 'warehouse:customer_accounts',
        migrationId: id,
        movedAt: expect.any(String),
      },
    });
    const stale = await request(server)
      .post('/api/dataset-migrations/plans')
      .send({ entityRef: 'resource:default/customer-accounts' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toBe(
      `Cannot migrate resource:default/customer-accounts: its table warehouse:customerAccounts was moved by migration ${id} to warehouse:customer_accounts; set dataset-migrations.io/location: warehouse:customer_accounts in its catalog-info.yaml (the catalog shows the new home once it has processed the entity again)`,
    );
  });

  it('answers a plan of a table that does not exist with 404 naming it', async () => {
    const server = await startPlugin({
      entities: [datasetEntity('gone', 'warehouse:gone')],
    });
    const res = await request(server)
      .post('/api/dataset-migrations/plans')
      .send({ entityRef: 'resource:default/gone' });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      'Cannot migrate resource:default/gone: its table warehouse:gone does not exist on connection warehouse; correct dataset-migrations.io/location in its catalog-info.yaml',
    );
    const newHome = await request(server).get(
      '/api/dataset-migrations/dataset-new-home?entityRef=resource:default/gone&location=warehouse:gone',
    );
    expect(newHome.body).toEqual({ newHome: null });
    const bad = await request(server).get(
      '/api/dataset-migrations/dataset-new-home?entityRef=resource:default/gone&location=gone',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^location: .*has no connection/);
  });

  it('rolls back on request; the rolled-back migration is not retried (409 naming Migrate), a new one starts, and the rollback is no failure in the stats', async () => {
    const before = readAll(
      file,
      `SELECT * FROM "customerAccounts" ORDER BY "id"`,
    );
    const server = await startPlugin();
    const plan = (
      await request(server)
        .post('/api/dataset-migrations/plans')
        .send({ entityRef: 'resource:default/customer-accounts' })
    ).body.plan;
    const id = (await requestStart(server, plan.hash)).body.migration.id;
    await waitForStatus(server, id, ['awaiting_cleanup']);
    const rollback = await request(server).post(
      `/api/dataset-migrations/migrations/${id}/rollback`,
    );
    expect(rollback.status).toBe(200);
    await waitForStatus(server, id, ['rolled_back']);
    expect(
      readAll(file, `SELECT * FROM "customerAccounts" ORDER BY "id"`),
    ).toEqual(before);

    const retry = await request(server).post(
      `/api/dataset-migrations/migrations/${id}/retry`,
    );
    expect(retry.status).toBe(409);
    expect(retry.body.error.message).toMatch(
      /it is rolled_back; a rolled-back migration is not retried: start a new one with Migrate on the dataset's page/,
    );
    expect(
      (await request(server).get(`/api/dataset-migrations/migrations/${id}`))
        .body.migration.status,
    ).toBe('rolled_back');

    const stats = await request(server).get(
      '/api/dataset-migrations/migrations/stats',
    );
    expect(stats.body).toMatchObject({
      byStatus: { rolled_back: 1 },
      rollbacks: { requestedByPerson: 1, automatic: 0 },
      successRate: null,
    });

    // Migrate plans the dataset again and starts a new migration.
    const again = await requestStart(server, plan.hash);
    expect(again.status).toBe(202);
    expect(again.body.migration.id).not.toBe(id);
  });

  it('refuses a non-owner with 403 and creates nothing', async () => {
    const before = readAll(
      file,
      `SELECT name FROM sqlite_master ORDER BY name`,
    );
    const server = await startPlugin({
      permissions: mockServices.permissions.mock({
        authorize: async () => [{ result: AuthorizeResult.DENY }],
      }).factory,
    });
    // Plan previews run queries on the dataset's database: owners only, too.
    const planRes = await request(server)
      .post('/api/dataset-migrations/plans')
      .send({ entityRef: 'resource:default/customer-accounts' });
    expect(planRes.status).toBe(403);
    const res = await requestStart(server, 'a'.repeat(64));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/only its owners/);
    expect(
      (await request(server).get('/api/dataset-migrations/migrations')).body
        .items,
    ).toEqual([]);
    expect(
      readAll(file, `SELECT name FROM sqlite_master ORDER BY name`),
    ).toEqual(before);
  });

  it('audits every trigger and action, the refused ones too', async () => {
    const outcomes: string[] = [];
    const auditor = mockServices.auditor.mock({
      createEvent: async ({ eventId }) => ({
        success: async () => {
          outcomes.push(`${eventId}: success`);
        },
        fail: async () => {
          outcomes.push(`${eventId}: fail`);
        },
      }),
    });
    const server = await startPlugin({ features: [auditor.factory] });
    const plan = (
      await request(server)
        .post('/api/dataset-migrations/plans')
        .send({ entityRef: 'resource:default/customer-accounts' })
    ).body.plan;
    const started = await requestStart(server, plan.hash);
    expect(started.status).toBe(202);
    expect((await requestStart(server, plan.hash)).status).toBe(409);
    const id = started.body.migration.id;
    const statuses: Record<string, number> = {};
    for (const action of ['cancel', 'retry', 'rollback', 'finalize']) {
      statuses[action] = (
        await request(server).post(
          `/api/dataset-migrations/migrations/${id}/${action}`,
        )
      ).status;
    }
    expect(outcomes).toEqual([
      'migration-trigger: success',
      'migration-trigger: fail',
      ...Object.entries(statuses).map(
        ([action, status]) =>
          `migration-${action}: ${status < 400 ? 'success' : 'fail'}`,
      ),
    ]);
    expect(auditor.createEvent).toHaveBeenCalledTimes(6);
  });

  it('answers bad requests with 400 naming the field, and a stale plan with 409', async () => {
    const server = await startPlugin();
    const missing = await request(server)
      .post('/api/dataset-migrations/migrations')
      .send({ entityRef: 'resource:default/customer-accounts' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/planHash/);
    const stale = await requestStart(server, 'a'.repeat(64));
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/changed since it was reviewed/);
    const notDataset = await request(server)
      .post('/api/dataset-migrations/plans')
      .send({ entityRef: 'resource:default/nope' });
    expect(notDataset.status).toBe(404);
    const badId = await request(server).get(
      '/api/dataset-migrations/migrations/not-a-uuid',
    );
    expect(badId.status).toBe(400);
  });
});
