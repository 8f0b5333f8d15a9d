/* eslint-disable jest/no-standalone-expect -- the engine cases run through `itOn`,
   which is `it` whenever the engine is available (always under CI=true). */
import type { TestDatabaseId } from '@backstage/backend-test-utils';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { ConnectionConfig } from '../config/DatasetMigrationsConfig';
import { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { firstRow } from '../dialects/rawRows';
import { datasetEntity } from '../__testUtils__/datasetEntity';
import { engineConnection } from '../__testUtils__/engineConnections';
import { permissionsAs } from '../__testUtils__/permissionsAs';
import { startTestPlugin } from '../__testUtils__/testBackend';
import { createTestDatabases, itOn } from '../__testUtils__/testDatabases';

jest.setTimeout(120_000);

const API = '/api/dataset-migrations';
const databases = createTestDatabases();

/** A connection whose server is not there: nothing listens on port 1 of loopback. */
const DOWN: Partial<Record<TestDatabaseId, ConnectionConfig>> = {
  SQLITE_3: {
    name: 'down',
    client: 'better-sqlite3',
    connection: {
      filename: path.join(os.tmpdir(), 'dm-no-such-dir', 'down.sqlite'),
    },
  },
  POSTGRES_15: {
    name: 'down',
    client: 'pg',
    connection: {
      host: '127.0.0.1',
      port: 1,
      user: 'postgres',
      database: 'down',
    },
  },
  MYSQL_8: {
    name: 'down',
    client: 'mysql2',
    connection: { host: '127.0.0.1', port: 1, user: 'root', database: 'down' },
  },
};

/** A connection as app-config writes it: its name is its key. */
const asConfig = ({ name: _name, ...config }: ConnectionConfig) => config;

const tableOf = (server: any, name: string, location: string) =>
  request(server).get(
    `${API}/dataset-table?entityRef=resource:default/${name}&location=${encodeURIComponent(
      location,
    )}`,
  );

describe.each(['SQLITE_3', 'POSTGRES_15', 'MYSQL_8'] as TestDatabaseId[])(
  'GET /dataset-table on %s',
  id => {
    itOn(databases, id)(
      'says exists, missing, or unknown with the reason, as the plan would find the table',
      async () => {
        const warehouse = await engineConnection(databases, id, 'warehouse');
        const registry = new ConnectionRegistry(
          new Map([['warehouse', warehouse]]),
        );
        const knex = registry.get('warehouse');
        await knex.schema.createTable('orders', t => {
          t.integer('id').primary();
        });
        // Whether this engine takes ORDERS for orders: SQLite always, MySQL/MariaDB as
        // the server's lower_case_table_names says, PostgreSQL never for a quoted name.
        const folds =
          id === 'SQLITE_3' ||
          (id === 'MYSQL_8' &&
            Number(
              firstRow(
                await knex.raw('SELECT @@lower_case_table_names AS folds'),
              )?.folds,
            ) !== 0);
        await registry.destroy();

        const entities = [
          datasetEntity('orders', 'warehouse:orders'),
          datasetEntity('gone', 'warehouse:gone'),
          datasetEntity('shouting', 'warehouse:ORDERS'),
          datasetEntity('offline', 'down:orders'),
          datasetEntity('nowhere', 'elsewhere:orders'),
        ];
        const server = await startTestPlugin({
          config: {
            connections: {
              warehouse: asConfig(warehouse),
              down: asConfig(DOWN[id]!),
            },
          },
          entities,
        });

        const orders = await tableOf(server, 'orders', 'warehouse:orders');
        expect(orders.status).toBe(200);
        expect(orders.body).toEqual({
          table: { location: 'warehouse:orders', existence: 'exists' },
        });

        const gone = await tableOf(server, 'gone', 'warehouse:gone');
        expect(gone.body).toEqual({
          table: { location: 'warehouse:gone', existence: 'missing' },
        });

        const shouting = await tableOf(server, 'shouting', 'warehouse:ORDERS');
        expect(shouting.body).toEqual({
          table: {
            location: 'warehouse:ORDERS',
            existence: folds ? 'exists' : 'missing',
          },
        });
        // The answer agrees with the plan: a plan 404s exactly on a missing table.
        for (const name of ['gone', 'shouting']) {
          const plan = await request(server)
            .post(`${API}/plans`)
            .send({ entityRef: `resource:default/${name}` });
          const table = await tableOf(
            server,
            name,
            entities.find(e => e.metadata.name === name)!.metadata.annotations![
              'dataset-migrations.io/location'
            ],
          );
          expect({ name, isPlanNotFound: plan.status === 404 }).toEqual({
            name,
            isPlanNotFound: table.body.table.existence === 'missing',
          });
        }

        const offline = await tableOf(server, 'offline', 'down:orders');
        expect(offline.status).toBe(200);
        expect(offline.body.table).toEqual({
          location: 'down:orders',
          existence: 'unknown',
          reason: expect.stringMatching(
            /^connection down could not be asked: /,
          ),
        });

        const nowhere = await tableOf(server, 'nowhere', 'elsewhere:orders');
        expect(nowhere.body.table).toEqual({
          location: 'elsewhere:orders',
          existence: 'unknown',
          reason:
            'connection elsewhere is not configured here (datasetMigrations.connections)',
        });
      },
    );
  },
);

describe('GET /dataset-table', () => {
  it('needs the read permission on the dataset, and a location it can parse', async () => {
    const server = await startTestPlugin({
      config: {
        connections: {
          warehouse: {
            client: 'better-sqlite3',
            connection: { filename: ':memory:' },
          },
        },
      },
      entities: [datasetEntity('orders', 'warehouse:orders')],
      permissions: permissionsAs(
        (_permission, resourceRef) => resourceRef !== 'resource:default/orders',
      ),
    });
    const denied = await tableOf(server, 'orders', 'warehouse:orders');
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toMatch(
      /^You may not see the migrations of resource:default\/orders: that needs permission dataset-migrations.migration.read/,
    );
    const bad = await tableOf(server, 'other', 'orders');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^location: .*has no connection/);
  });
});
