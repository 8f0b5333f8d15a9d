import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  datasetMigratePermission,
  datasetMigrationReadPermission,
  datasetMigrationsAdminPermission,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Database from 'better-sqlite3';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { datasetEntity } from '../__testUtils__/datasetEntity';
import { permissionsAs } from '../__testUtils__/permissionsAs';
import { startTestPlugin, stopTestPlugins } from '../__testUtils__/testBackend';
import { removeTempDir } from '../__testUtils__/tempDir';

jest.setTimeout(60_000);

const API = '/api/dataset-migrations';
const ORDERS = 'resource:default/orders';
const INVOICES = 'resource:default/invoices';
// The password of a connection that cannot be reached: never in an answer.
const PASSWORD = 'p#ss-S3cret';
const BROKEN_URL = `postgresql://u:${encodeURIComponent(
  PASSWORD,
)}@127.0.0.1:1/lake`;

describe('the API', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-router-'));
    file = path.join(dir, 'warehouse.sqlite');
    const db = new Database(file);
    for (const table of ['orders', 'invoices', 'ledger']) {
      db.exec(
        `CREATE TABLE "${table}" ("id" INTEGER PRIMARY KEY, "note" TEXT NOT NULL)`,
      );
      db.prepare(`INSERT INTO "${table}" VALUES (1, 'n')`).run();
    }
    db.close();
  });
  afterEach(async () => {
    await stopTestPlugins();
    removeTempDir(dir);
  });

  async function start(
    options: {
      permissions?: ReturnType<typeof permissionsAs>;
      entities?: ReturnType<typeof datasetEntity>[];
      extra?: Record<string, unknown>;
      catalog?: any;
    } = {},
  ) {
    return startTestPlugin({
      permissions: options.permissions,
      catalog: options.catalog,
      config: {
        connections: {
          warehouse: {
            client: 'better-sqlite3',
            connection: { filename: file },
          },
          // A valid URL to a server that is not there.
          lake: { client: 'pg', connection: BROKEN_URL },
        },
        rules: [
          {
            name: 'ledger moves to the lake',
            match: { table: 'ledger' },
            target: { connection: 'lake', table: 'ledger' },
          },
          {
            name: 'renamed',
            match: { connection: 'warehouse' },
            target: { table: '{table}_v2' },
          },
        ],
        // API-only: migrations stay queued, so their event streams stay open.
        executor: { workerSlots: 0 },
        ...options.extra,
      },
      entities: options.entities ?? [
        datasetEntity('orders', 'warehouse:orders'),
        datasetEntity('invoices', 'warehouse:invoices'),
        datasetEntity('ledger', 'warehouse:ledger'),
        datasetEntity('lake-table', 'lake:public.items'),
      ],
    });
  }

  async function startMigration(server: any, entityRef: string) {
    const plan = await request(server).post(`${API}/plans`).send({ entityRef });
    expect(plan.status).toBe(200);
    const started = await request(server)
      .post(`${API}/migrations`)
      .send({ entityRef, planHash: plan.body.plan.hash });
    expect(started.status).toBe(202);
    return started.body.migration.id as string;
  }

  describe('starting a migration', () => {
    it('answers 202 with the migration queued and no step started; a worker then runs it', async () => {
      const server = await start({ extra: { executor: { workerSlots: 1 } } });
      const plan = await request(server)
        .post(`${API}/plans`)
        .send({ entityRef: ORDERS });
      const started = await request(server)
        .post(`${API}/migrations`)
        .send({ entityRef: ORDERS, planHash: plan.body.plan.hash });
      expect(started.status).toBe(202);
      const { migration } = started.body;
      expect(migration.status).toBe('queued');
      expect(
        migration.steps.map((s: { status: string; startedAt: unknown }) => [
          s.status,
          s.startedAt,
        ]),
      ).toEqual(migration.steps.map(() => ['pending', null]));

      let status = migration.status;
      for (let i = 0; i < 200 && status !== 'awaiting_cleanup'; i++) {
        await new Promise(r => setTimeout(r, 100));
        status = (
          await request(server).get(`${API}/migrations/${migration.id}`)
        ).body.migration.status;
      }
      expect(status).toBe('awaiting_cleanup');
    });
  });

  describe('one bad connection', () => {
    it('never breaks the plans of datasets on other connections', async () => {
      const server = await start();
      const res = await request(server)
        .post(`${API}/plans`)
        .send({ entityRef: ORDERS });
      expect(res.status).toBe(200);
      expect(res.body.plan.preflight).toMatchObject({ status: 'passed' });
    });

    it('answers plans that need it with 503 naming it, without its settings', async () => {
      const server = await start();
      for (const entityRef of [
        'resource:default/lake-table',
        'resource:default/ledger',
      ]) {
        const res = await request(server)
          .post(`${API}/plans`)
          .send({ entityRef });
        expect(res.status).toBe(503);
        expect(res.body.error.message).toMatch(
          /connection "lake".*datasetMigrations\.connections\.lake/,
        );
        const body = JSON.stringify(res.body);
        expect(body).not.toContain(PASSWORD);
        expect(body).not.toContain(encodeURIComponent(PASSWORD));
        expect(body).not.toContain('127.0.0.1:1');
      }
    });
  });

  describe('permissions', () => {
    const ADA = 'user:default/ada';
    const GRACE = 'user:default/grace';
    // Ada owns orders and may read everything; Grace may read invoices only.
    const policy = permissionsAs((permission, ref, user) => {
      if (permission === datasetMigrationsAdminPermission.name) return false;
      if (permission === datasetMigratePermission.name) {
        return user === ADA && ref === ORDERS;
      }
      if (permission === datasetMigrationReadPermission.name) {
        return user === ADA || ref === INVOICES;
      }
      return true;
    });
    const as = (user: string) => mockCredentials.user.header(user);

    it('plan previews need the migrate permission on the dataset', async () => {
      const server = await start({ permissions: policy });
      const denied = await request(server)
        .post(`${API}/plans`)
        .set('Authorization', as(GRACE))
        .send({ entityRef: ORDERS });
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toMatch(
        /may not plan a migration of resource:default\/orders.*dataset-migrations\.dataset\.migrate/,
      );
      const allowed = await request(server)
        .post(`${API}/plans`)
        .set('Authorization', as(ADA))
        .send({ entityRef: ORDERS });
      expect(allowed.status).toBe(200);
    });

    it('reading a migration, its events and lists need the read permission', async () => {
      const server = await start({
        permissions: permissionsAs((permission, ref, user) => {
          if (permission === datasetMigratePermission.name) return user === ADA;
          if (permission === datasetMigrationReadPermission.name) {
            return user === ADA || ref === INVOICES;
          }
          return permission !== datasetMigrationsAdminPermission.name;
        }),
      });
      const ordersId = await (async () => {
        const plan = await request(server)
          .post(`${API}/plans`)
          .set('Authorization', as(ADA))
          .send({ entityRef: ORDERS });
        const res = await request(server)
          .post(`${API}/migrations`)
          .set('Authorization', as(ADA))
          .send({ entityRef: ORDERS, planHash: plan.body.plan.hash });
        expect(res.status).toBe(202);
        return res.body.migration.id;
      })();
      const invoicesId = await (async () => {
        const plan = await request(server)
          .post(`${API}/plans`)
          .set('Authorization', as(ADA))
          .send({ entityRef: INVOICES });
        const res = await request(server)
          .post(`${API}/migrations`)
          .set('Authorization', as(ADA))
          .send({ entityRef: INVOICES, planHash: plan.body.plan.hash });
        expect(res.status).toBe(202);
        return res.body.migration.id;
      })();

      const one = await request(server)
        .get(`${API}/migrations/${ordersId}`)
        .set('Authorization', as(GRACE));
      expect(one.status).toBe(403);
      expect(one.body.error.message).toMatch(
        /resource:default\/orders.*dataset-migrations\.migration\.read/,
      );
      const events = await request(server)
        .get(`${API}/migrations/${ordersId}/events`)
        .set('Authorization', as(GRACE));
      expect(events.status).toBe(403);
      expect(
        (
          await request(server)
            .get(`${API}/migrations/${invoicesId}`)
            .set('Authorization', as(GRACE))
        ).status,
      ).toBe(200);

      const graceList = await request(server)
        .get(`${API}/migrations`)
        .set('Authorization', as(GRACE));
      expect(graceList.status).toBe(200);
      expect(graceList.body.items.map((m: any) => m.id)).toEqual([invoicesId]);
      const adaList = await request(server)
        .get(`${API}/migrations`)
        .set('Authorization', as(ADA));
      expect(adaList.body.items.map((m: any) => m.id).sort()).toEqual(
        [ordersId, invoicesId].sort(),
      );

      // Stats aggregate across datasets: all of them, or one Grace may read.
      expect(
        (
          await request(server)
            .get(`${API}/migrations/stats`)
            .set('Authorization', as(GRACE))
        ).status,
      ).toBe(403);
      const graceStats = await request(server)
        .get(`${API}/migrations/stats?entityRef=${INVOICES}`)
        .set('Authorization', as(GRACE));
      expect(graceStats.status).toBe(200);
      expect(graceStats.body.total).toBe(1);
      expect(
        (
          await request(server)
            .get(`${API}/migrations/stats`)
            .set('Authorization', as(ADA))
        ).body.total,
      ).toBe(2);
    });

    it('the fleet endpoints need the admin permission', async () => {
      const server = await start({
        permissions: permissionsAs(
          (permission, _ref, user) =>
            permission !== datasetMigrationsAdminPermission.name ||
            user === ADA,
        ),
      });
      for (const route of ['/fleet', '/fleet/workers']) {
        const denied = await request(server)
          .get(`${API}${route}`)
          .set('Authorization', as(GRACE));
        expect(denied.status).toBe(403);
        expect(denied.body.error.message).toMatch(/dataset-migrations\.admin/);
        const allowed = await request(server)
          .get(`${API}${route}`)
          .set('Authorization', as(ADA));
        expect(allowed.status).toBe(200);
      }
    });
  });

  describe('allowed owners', () => {
    it('refuses to plan or start a dataset whose owner the connection does not accept', async () => {
      const server = await start({
        extra: {
          connections: {
            warehouse: {
              client: 'better-sqlite3',
              connection: { filename: file },
              allowedOwners: ['group:default/data-platform'],
            },
          },
          rules: [{ name: 'renamed', target: { table: '{table}_v2' } }],
        },
        entities: [
          datasetEntity('orders', 'warehouse:orders'),
          // Anyone may register an entity that points at a table.
          datasetEntity(
            'invoices',
            'warehouse:invoices',
            'group:default/intruders',
          ),
        ],
      });
      expect(
        (await request(server).post(`${API}/plans`).send({ entityRef: ORDERS }))
          .status,
      ).toBe(200);
      const refused = await request(server)
        .post(`${API}/plans`)
        .send({ entityRef: INVOICES });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(
        /Connection "warehouse" does not accept datasets owned by group:default\/intruders.*datasetMigrations\.connections\.warehouse\.allowedOwners lists group:default\/data-platform/,
      );
      const startRefused = await request(server)
        .post(`${API}/migrations`)
        .send({ entityRef: INVOICES, planHash: 'a'.repeat(64) });
      expect(startRefused.status).toBe(403);
    });
  });

  describe('limits', () => {
    it('refuses a user more event streams than the limit, with 429', async () => {
      const server = await start({
        extra: { limits: { eventStreamsPerUser: 1 } },
      });
      const id = await startMigration(server, ORDERS);
      const { port } = (server as http.Server).address() as AddressInfo;
      const open = await new Promise<http.IncomingMessage>(resolve =>
        http.get(
          `http://127.0.0.1:${port}${API}/migrations/${id}/events`,
          resolve,
        ),
      );
      try {
        expect(open.statusCode).toBe(200);
        const second = await request(server).get(
          `${API}/migrations/${id}/events`,
        );
        expect(second.status).toBe(429);
        expect(second.body.error.message).toMatch(
          /1 event stream\(s\) open.*datasetMigrations\.limits\.eventStreamsPerUser/,
        );
        // Another user has their own allowance.
        const other = await new Promise<http.IncomingMessage>(resolve =>
          http.get(
            `http://127.0.0.1:${port}${API}/migrations/${id}/events`,
            {
              headers: {
                authorization:
                  mockCredentials.user.header('user:default/other'),
              },
            },
            resolve,
          ),
        );
        expect(other.statusCode).toBe(200);
        other.destroy();
      } finally {
        open.destroy();
      }
    });

    it('refuses a user more plans at once than the limit, with 429', async () => {
      let release!: () => void;
      const held = new Promise<void>(resolve => {
        release = resolve;
      });
      let entered!: () => void;
      const isEntered = new Promise<void>(resolve => {
        entered = resolve;
      });
      const entity = datasetEntity('orders', 'warehouse:orders');
      const server = await start({
        extra: { limits: { plansPerUser: 1 } },
        catalog: catalogServiceMock.mock({
          async getEntityByRef() {
            entered();
            await held;
            return entity;
          },
        }).factory,
      });
      const first = request(server)
        .post(`${API}/plans`)
        .send({ entityRef: ORDERS })
        .then(r => r);
      await isEntered;
      const second = await request(server)
        .post(`${API}/plans`)
        .send({ entityRef: ORDERS });
      expect(second.status).toBe(429);
      expect(second.body.error.message).toMatch(
        /1 plan\(s\) running.*datasetMigrations\.limits\.plansPerUser/,
      );
      release();
      expect((await first).status).toBe(200);
      const third = await request(server)
        .post(`${API}/plans`)
        .send({ entityRef: ORDERS });
      expect(third.status).toBe(200);
    });
  });
});
