/* eslint-disable jest/no-standalone-expect -- the tests run through `itOn`, which is
   `it` whenever the engine is available (always under CI=true). */
import {
  mockServices,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  entityEnvelopeSchemaValidator,
  resourceEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import type {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import {
  DATASET_COLUMNS_ANNOTATION,
  DATASET_LOCATION_ANNOTATION,
  getDatasetLocation,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { createTestDatabases, itOn } from '../__testUtils__/testDatabases';
import {
  testConnections,
  type TestConnections,
} from '../__testUtils__/testConnections';
import { readDiscoveryConfig } from '../config/readDiscoveryConfig';
import { DatasetDiscoveryProvider } from './DatasetDiscoveryProvider';

jest.setTimeout(60_000);

/** The catalog's side of the connection: records each mutation it is handed. */
class RecordingCatalog implements EntityProviderConnection {
  readonly mutations: EntityProviderMutation[] = [];

  async applyMutation(mutation: EntityProviderMutation) {
    this.mutations.push(mutation);
  }

  async refresh() {}

  /** The entities of the last mutation, which must be a full one. */
  lastFull(): Entity[] {
    const last = this.mutations[this.mutations.length - 1];
    if (last?.type !== 'full') throw new Error('no full mutation');
    return last.entities.map(e => e.entity);
  }
}

const byLocation = (entities: Entity[]) =>
  Object.fromEntries(
    entities.map(e => [
      e.metadata.annotations![DATASET_LOCATION_ANNOTATION],
      e,
    ]),
  );

const validateEntity = resourceEntityV1alpha1Validator;
const validateEnvelope = entityEnvelopeSchemaValidator();

async function providerOn(
  db: TestConnections,
  entry: Record<string, unknown>,
): Promise<{ provider: DatasetDiscoveryProvider; catalog: RecordingCatalog }> {
  const config = new ConfigReader({
    datasetMigrations: { discovery: [{ connection: 'warehouse', ...entry }] },
  });
  const [settings] = readDiscoveryConfig(config, db.configs);
  const provider = new DatasetDiscoveryProvider({
    settings,
    connections: db.registry,
    logger: mockServices.logger.mock(),
  });
  const catalog = new RecordingCatalog();
  await provider.connect(catalog);
  return { provider, catalog };
}

describe('DatasetDiscoveryProvider', () => {
  const databases = createTestDatabases();

  describe.each(['SQLITE_3', 'POSTGRES_15', 'MYSQL_8'] as TestDatabaseId[])(
    'on %s',
    id => {
      itOn(databases, id)(
        'emits a dataset per table, then adds a created table and drops a dropped one',
        async () => {
          const db = await testConnections(databases, id, ['warehouse']);
          try {
            const knex = db.knex();
            const schema = await db.dialect.currentSchema(knex);
            const at = (table: string) =>
              `warehouse:${schema ? `${schema}.` : ''}${table}`;
            await knex.raw(
              'CREATE TABLE orders (id integer PRIMARY KEY, amount numeric(12,2))',
            );
            await knex.raw(
              'CREATE TABLE customer_accounts (id integer PRIMARY KEY)',
            );
            // The plugin's own tables and a view are never datasets.
            await knex.raw('CREATE TABLE dm_log_orders (dm_seq integer)');
            await knex.raw('CREATE TABLE legacy__dm_backup (id integer)');
            await knex.raw('CREATE VIEW orders_view AS SELECT id FROM orders');

            const { provider, catalog } = await providerOn(db, {
              owners: [{ match: 'customer_*', owner: 'sales' }],
              defaultOwner: 'group:default/data-platform',
              system: 'data-warehouse',
            });
            expect(provider.getProviderName()).toBe(
              'dataset-migrations-discovery:warehouse',
            );
            expect(await provider.run()).toBe(2);
            const first = byLocation(catalog.lastFull());
            expect(Object.keys(first).sort()).toEqual([
              at('customer_accounts'),
              at('orders'),
            ]);

            const orders = first[at('orders')];
            expect(orders.metadata.name).toBe(
              schema
                ? `warehouse.${schema.toLowerCase().replace(/_/g, '-')}.orders`
                : 'warehouse.orders',
            );
            expect(orders.metadata.title).toBe(
              schema ? `${schema}.orders` : 'orders',
            );
            expect(orders.spec).toEqual({
              type: 'dataset',
              owner: 'group:default/data-platform',
              system: 'system:default/data-warehouse',
            });
            expect(orders.metadata.annotations).toMatchObject({
              [ANNOTATION_LOCATION]: 'dataset-migrations-discovery:warehouse',
              [ANNOTATION_ORIGIN_LOCATION]:
                'dataset-migrations-discovery:warehouse',
            });
            expect(
              JSON.parse(
                orders.metadata.annotations![DATASET_COLUMNS_ANNOTATION],
              ).map((c: { name: string }) => c.name),
            ).toEqual(['id', 'amount']);
            expect(orders.metadata.description).toMatch(
              /Columns: id \(int.*\), amount \((numeric|decimal)\(12,2\)\)/i,
            );
            expect(getDatasetLocation(orders)).toEqual({
              connection: 'warehouse',
              schema,
              table: 'orders',
            });
            expect(first[at('customer_accounts')].spec?.owner).toBe(
              'group:default/sales',
            );
            for (const entity of Object.values(first)) {
              await expect(validateEnvelope(entity)).toBeTruthy();
              await expect(validateEntity.check(entity)).resolves.toBe(true);
            }

            await knex.raw('CREATE TABLE invoices (id integer)');
            await provider.run();
            expect(Object.keys(byLocation(catalog.lastFull())).sort()).toEqual([
              at('customer_accounts'),
              at('invoices'),
              at('orders'),
            ]);

            await knex.raw('DROP TABLE customer_accounts');
            await provider.run();
            expect(catalog.mutations).toHaveLength(3);
            expect(Object.keys(byLocation(catalog.lastFull())).sort()).toEqual([
              at('invoices'),
              at('orders'),
            ]);
          } finally {
            await db.destroy();
          }
        },
      );

      itOn(databases, id)(
        'keeps to the tables and leaves out the excluded',
        async () => {
          const db = await testConnections(databases, id, ['warehouse']);
          try {
            const knex = db.knex();
            for (const table of ['sales_orders', 'sales_refunds', 'hr_staff']) {
              await knex.raw(`CREATE TABLE ${table} (id integer)`);
            }
            const { provider, catalog } = await providerOn(db, {
              tables: ['SALES_*', 'hr_*'],
              exclude: ['*_refunds'],
              defaultOwner: 'data-platform',
            });
            await provider.run();
            expect(
              catalog
                .lastFull()
                .map(e => getDatasetLocation(e)!.table)
                .sort(),
            ).toEqual(['hr_staff', 'sales_orders']);
          } finally {
            await db.destroy();
          }
        },
      );
    },
  );

  itOn(databases, 'POSTGRES_15')(
    'looks in the schemas the globs match, naming each table with its schema',
    async () => {
      const db = await testConnections(databases, 'POSTGRES_15', ['warehouse']);
      try {
        const knex = db.knex();
        await knex.raw('CREATE SCHEMA sales_eu');
        await knex.raw('CREATE SCHEMA hr');
        await knex.raw('CREATE TABLE sales_eu.leads (id integer)');
        await knex.raw('CREATE TABLE hr.staff (id integer)');
        await knex.raw('CREATE TABLE public.orders (id integer)');
        // A partition belongs to its parent's dataset.
        await knex.raw(
          'CREATE TABLE sales_eu.events (id integer, day date) PARTITION BY RANGE (day)',
        );
        await knex.raw(
          `CREATE TABLE sales_eu.events_2026 PARTITION OF sales_eu.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')`,
        );
        const { provider, catalog } = await providerOn(db, {
          schemas: ['sales_*', 'public'],
          owners: [{ match: 'sales_eu.*', owner: 'group:default/sales' }],
          defaultOwner: 'data-platform',
        });
        await provider.run();
        const found = catalog.lastFull();
        expect(
          found
            .map(e => [
              e.metadata.annotations![DATASET_LOCATION_ANNOTATION],
              e.spec?.owner,
            ])
            .sort(),
        ).toEqual([
          ['warehouse:public.orders', 'group:default/data-platform'],
          ['warehouse:sales_eu.events', 'group:default/sales'],
          ['warehouse:sales_eu.leads', 'group:default/sales'],
        ]);
      } finally {
        await db.destroy();
      }
    },
  );

  itOn(databases, 'POSTGRES_15')(
    'gives two tables whose names fold to one a name each',
    async () => {
      const db = await testConnections(databases, 'POSTGRES_15', ['warehouse']);
      try {
        const knex = db.knex();
        await knex.raw('CREATE TABLE "Orders" (id integer)');
        await knex.raw('CREATE TABLE orders (id integer)');
        const { provider, catalog } = await providerOn(db, {
          defaultOwner: 'data-platform',
        });
        await provider.run();
        const names = catalog.lastFull().map(e => e.metadata.name);
        expect(names).toHaveLength(2);
        expect(new Set(names).size).toBe(2);
        for (const name of names) {
          expect(name).toMatch(/^warehouse\.public\.orders-[0-9a-f]{8}$/);
        }
      } finally {
        await db.destroy();
      }
    },
  );

  itOn(databases, 'SQLITE_3')(
    'refuses to run before the catalog connects it',
    async () => {
      const db = await testConnections(databases, 'SQLITE_3', ['warehouse']);
      try {
        const [settings] = readDiscoveryConfig(
          new ConfigReader({
            datasetMigrations: {
              discovery: [{ connection: 'warehouse', defaultOwner: 'a' }],
            },
          }),
          db.configs,
        );
        const provider = new DatasetDiscoveryProvider({
          settings,
          connections: db.registry,
          logger: mockServices.logger.mock(),
        });
        await expect(provider.run()).rejects.toThrow(/not connected/);
      } finally {
        await db.destroy();
      }
    },
  );
});
