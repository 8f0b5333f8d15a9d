import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  SignalPayload,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { datasetEntity } from './__testUtils__/datasetEntity';
import { startTestPlugin } from './__testUtils__/testBackend';
import { datasetMigrationsPlugin } from './plugin';
import { removeTempDir } from './__testUtils__/tempDir';

// Starting a backend with the plugin runs its knex migrations and services: on a CI
// machine loaded by the other suites that takes longer than jest's default five seconds.
jest.setTimeout(60_000);

describe('datasetMigrationsPlugin', () => {
  const config = {
    connections: {
      warehouse: {
        client: 'better-sqlite3',
        connection: { filename: ':memory:' },
      },
    },
  };

  it('serves health without auth and connection names without secrets', async () => {
    const server = await startTestPlugin({ config });

    await request(server)
      .get('/api/dataset-migrations/health')
      .expect(200, { status: 'ok' });

    const res = await request(server).get(
      '/api/dataset-migrations/connections',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [{ name: 'warehouse', client: 'better-sqlite3' }],
    });
    expect(JSON.stringify(res.body)).not.toContain('filename');
  });

  it('refuses to start on invalid configuration, naming the key', async () => {
    await expect(
      startTestPlugin({
        config: {
          connections: { warehouse: { client: 'oracle', connection: 'x' } },
        },
      }),
    ).rejects.toThrow(/datasetMigrations\.connections\.warehouse\.client/);
  });

  it('refuses to start on a connection string that is not a URL, naming the key but not the string', async () => {
    const started = startTestPlugin({
      config: {
        connections: {
          lake: {
            client: 'pg',
            connection: 'postgres://u:p#ss-S3cret@db.internal/lake',
          },
        },
      },
    });
    await expect(started).rejects.toThrow(
      /datasetMigrations\.connections\.lake\.connection is not a valid postgresql:\/\/ URL/,
    );
    await expect(started).rejects.not.toThrow(/S3cret|db\.internal/);
  });

  it('signals every event a migration writes, by ids alone', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-signals-'));
    try {
      const file = path.join(dir, 'warehouse.sqlite');
      const db = new Database(file);
      db.exec(`CREATE TABLE orders (id INTEGER PRIMARY KEY, note TEXT)`);
      db.exec(`INSERT INTO orders VALUES (1, 'a'), (2, 'b'), (3, 'c')`);
      db.close();
      const published: SignalPayload[] = [];
      const { server } = await startTestBackend({
        features: [
          datasetMigrationsPlugin,
          mockServices.rootConfig.factory({
            data: {
              datasetMigrations: {
                connections: {
                  warehouse: {
                    client: 'better-sqlite3',
                    connection: { filename: file },
                  },
                },
                rules: [
                  {
                    name: 'v2',
                    match: { connection: 'warehouse' },
                    target: { table: '{table}_v2' },
                  },
                ],
                executor: { workerSlots: 1, retryBaseSeconds: 0.1 },
              },
            },
          }),
          catalogServiceMock.factory({
            entities: [datasetEntity('orders', 'warehouse:orders')],
          }),
          createServiceFactory({
            service: signalsServiceRef,
            deps: {},
            factory: () => ({
              publish: async signal => {
                published.push(signal);
              },
            }),
          }),
        ],
      });
      const api = '/api/dataset-migrations';
      const entityRef = 'resource:default/orders';
      const { body: planned } = await request(server)
        .post(`${api}/plans`)
        .send({ entityRef });
      const started = await request(server)
        .post(`${api}/migrations`)
        .send({ entityRef, planHash: planned.plan.hash });
      expect(started.status).toBe(202);
      const id: string = started.body.migration.id;

      // Every step up to cutover runs; cleanup then waits for its grace period.
      let status = '';
      for (let i = 0; i < 600 && status !== 'awaiting_cleanup'; i++) {
        const res = await request(server).get(`${api}/migrations/${id}`);
        status = res.body.migration.status;
        if (['failed', 'rolled_back', 'cancelled'].includes(status)) {
          throw new Error(
            `Migration ended ${status}: ${res.body.migration.error}`,
          );
        }
        if (status !== 'awaiting_cleanup')
          await new Promise(r => setTimeout(r, 100));
      }
      expect(status).toBe('awaiting_cleanup');

      const replay = await request(server).get(
        `${api}/migrations/${id}/events?follow=false`,
      );
      const events: Array<{ id: number; message: string }> = [
        ...replay.text.matchAll(/^data: (.*)$/gm),
      ].map(m => JSON.parse(m[1]));
      expect(events.length).toBeGreaterThan(5);

      const signalled = published
        .filter(s => s.channel === `dataset-migrations:migration:${id}`)
        .map(s => Number(s.message.eventId));
      // `created` is written with the migration, before any page can listen. A step
      // boundary writes the finished step's event and the next step's together and
      // signals the second: a follower reads every event after the last id it saw, so
      // an event without its own signal is always followed by a signalled one.
      const ids = events.slice(1).map(e => e.id);
      expect(signalled).toEqual([...new Set(signalled)].sort((a, b) => a - b));
      expect(signalled.every(eventId => ids.includes(eventId))).toBe(true);
      expect(signalled.at(-1)).toBe(ids.at(-1));
      const uncovered = ids.filter(
        (eventId, i) =>
          !signalled.includes(eventId) && !signalled.includes(ids[i + 1]),
      );
      expect(uncovered).toEqual([]);
      expect(
        published.filter(s => s.channel === 'dataset-migrations:migrations'),
      ).toContainEqual(
        expect.objectContaining({ message: { migrationId: id } }),
      );
      for (const signal of published) {
        expect(signal.recipients).toEqual({ type: 'broadcast' });
        expect(Object.keys(signal.message).sort()).toEqual(
          signal.channel === 'dataset-migrations:migrations'
            ? ['migrationId']
            : ['eventId', 'migrationId'],
        );
      }
    } finally {
      removeTempDir(dir);
    }
  });
});
