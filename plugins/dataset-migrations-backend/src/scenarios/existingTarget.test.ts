import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import { Knex } from 'knex';
import request from 'supertest';
import { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { allRows } from '../dialects/rawRows';
import { findExistingTarget } from '../plan/lint/findExistingTarget';
import { datasetEntity } from '../__testUtils__/datasetEntity';
import { engineConnection } from '../__testUtils__/engineConnections';
import { planFor } from '../__testUtils__/planFor';
import { rule } from '../__testUtils__/rule';
import { StepRecord, stepContext } from '../__testUtils__/stepContext';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { copyStep } from '../execute/steps/copyStep';
import { provisionStep } from '../execute/steps/provisionStep';
import { testStore } from '../__testUtils__/testStore';
import { runMigrationOnce } from '../__testUtils__/testRunner';
import { startTestPlugin } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const ENGINES: TestDatabaseId[] = ['SQLITE_3', 'POSTGRES_15', 'MYSQL_8'];

/** The source table, and a rule that moves it to `orders_v2` on the same database. */
async function seedSource(knex: Knex) {
  await knex.raw(
    `CREATE TABLE orders (id integer PRIMARY KEY, note varchar(40) NOT NULL)`,
  );
  await knex('orders').insert(
    Array.from({ length: 20 }, (_, i) => ({ id: i + 1, note: `order ${i}` })),
  );
}
const RULES = [
  rule({ name: 'move', target: { connection: 'dst', table: 'orders_v2' } }),
];

/**
 * Someone else's table at the target's name, of the very shape the plan would create,
 * with rows of its own: nothing but the mark tells it from the migration's.
 */
async function squat(knex: Knex) {
  await knex.raw(
    `CREATE TABLE orders_v2 (id integer PRIMARY KEY, note varchar(40) NOT NULL)`,
  );
  await knex('orders_v2').insert([
    { id: 101, note: "someone else's" },
    { id: 102, note: 'rows' },
  ]);
}
const squatted = async (knex: Knex) =>
  allRows(await knex.raw(`SELECT id, note FROM orders_v2 ORDER BY id`)).map(
    r => [Number(r.id), r.note],
  );
const SQUATTED = [
  [101, "someone else's"],
  [102, 'rows'],
];

async function registryOn(databases: any, id: TestDatabaseId) {
  const connection = await engineConnection(databases, id, 'src');
  return new ConnectionRegistry(
    new Map([
      ['src', connection],
      ['dst', { ...connection, name: 'dst' }],
    ]),
  );
}

/** Seeds `orders` on `src` and plans its move under `RULES`. */
async function seedAndPlan(registry: ConnectionRegistry) {
  const knex = registry.get('src');
  await seedSource(knex);
  const plan: Plan = await planFor(
    registry,
    { connection: 'src', table: 'orders' },
    RULES,
  );
  return { knex, plan };
}

describe('a target table that already exists', () => {
  const databases = createTestDatabases();

  it.each(ENGINES)(
    '%s: is a blocking plan finding, as a table, a view or a name differing in case where the engine folds case',
    async id => {
      const registry = await registryOn(databases, id);
      try {
        const { knex, plan } = await seedAndPlan(registry);
        const dialect = registry.dialect('dst');
        const findings = () => findExistingTarget(knex, dialect, plan);
        expect(await findings()).toEqual([]);

        await squat(knex);
        const [finding] = await findings();
        expect(finding).toMatchObject({
          code: 'target-exists',
          severity: 'blocking',
        });
        expect(finding.message).toContain('dst:');
        expect(finding.message).toMatch(
          /orders_v2, already exists \(a table\)/,
        );
        expect(finding.message).toMatch(/another name with a rule/);
        expect(finding.message).toMatch(/drop .*orders_v2 yourself/);

        await knex.raw('DROP TABLE orders_v2');
        await knex.raw('CREATE VIEW orders_v2 AS SELECT id FROM orders');
        expect(await findings()).toMatchObject([
          {
            code: 'target-exists',
            message: expect.stringMatching(/\(a view\)/),
          },
        ]);
        await knex.raw('DROP VIEW orders_v2');

        // A quoted mixed-case name: one name with orders_v2 where the engine folds case.
        await knex.raw(
          `CREATE TABLE ${dialect.quote('Orders_V2')} (id integer)`,
        );
        const folds =
          id !== 'MYSQL_8' ||
          Number(
            allRows(await knex.raw('SELECT @@lower_case_table_names AS f'))[0]
              .f,
          ) !== 0;
        const caseVariants = (await findings()).map(f =>
          f.message.includes(
            'a table named Orders_V2, the same name to this engine',
          ),
        );
        expect(caseVariants).toEqual(folds ? [true] : []);
      } finally {
        await registry.destroy();
      }
    },
  );

  it.each(ENGINES)(
    '%s: made after the plan, fails provision untouched, and the rollback leaves it and its rows',
    async id => {
      const registry = await registryOn(databases, id);
      const { store, destroy: closeStore } = await testStore();
      try {
        const { knex, plan } = await seedAndPlan(registry);
        expect(plan.preflight?.status).toBe('passed');
        // Between the approval and the run, someone creates the target with rows.
        await squat(knex);

        const migration = await runMigrationOnce(store, registry, plan);
        expect(migration.status).toBe('failed');
        const provision = migration.steps.find(s => s.name === 'provision')!;
        expect(provision.attempts).toBe(1); // permanent: not retried
        expect(provision.error).toMatch(/orders_v2, already exists/);
        expect(await squatted(knex)).toEqual(SQUATTED);
        const events = await store.listEvents(migration.id);
        expect(events.map(e => e.message)).toContain(
          'Left orders_v2 as it is: this migration did not create it',
        );
        // The source is as it was.
        expect(
          Number(
            allRows(await knex.raw('SELECT COUNT(*) AS n FROM orders'))[0].n,
          ),
        ).toBe(20);
      } finally {
        await closeStore();
        await registry.destroy();
      }
    },
  );

  it.each(ENGINES)(
    '%s: provision keeps the table it created itself on a retry; copy refuses a table it did not; undo drops only its own',
    async id => {
      const registry = await registryOn(databases, id);
      try {
        const { knex, plan } = await seedAndPlan(registry);
        const record: StepRecord = { events: [] };
        const ctx = stepContext(registry, plan, record);
        await provisionStep.run(ctx);
        await knex('orders_v2').insert({
          id: 99,
          note: 'copied before a crash',
        });
        // A retry after a crash finds the table with its own mark and keeps it.
        await provisionStep.run(ctx);
        expect(record.events.map(e => e.message)).toContain(
          'Target table orders_v2 was created by this migration in an earlier attempt; keeping it',
        );
        expect(
          allRows(await knex.raw('SELECT id FROM orders_v2')).map(r =>
            Number(r.id),
          ),
        ).toEqual([99]);

        // Another migration of the same plan does not own it: no copy into it, no drop.
        const other = {
          ...stepContext(registry, plan, { events: [] }),
          migrationId: 'm-other',
        };
        await expect(copyStep.run(other)).rejects.toThrow(
          /was not created by this migration/,
        );
        await provisionStep.undo(other);
        expect(
          allRows(await knex.raw('SELECT id FROM orders_v2')).map(r =>
            Number(r.id),
          ),
        ).toEqual([99]);

        await provisionStep.undo(ctx);
        expect(
          await registry
            .dialect('dst')
            .findRelations(knex, { table: 'orders_v2' }),
        ).toEqual([]);
      } finally {
        await registry.destroy();
      }
    },
  );

  it.each<TestDatabaseId>(['POSTGRES_15', 'MYSQL_8'])(
    '%s: through the API, the plan shows the finding and starting it is refused',
    async id => {
      const connection = await engineConnection(databases, id, 'warehouse');
      const registry = new ConnectionRegistry(
        new Map([['warehouse', connection]]),
      );
      try {
        const knex = registry.get('warehouse');
        await seedSource(knex);
        await squat(knex);
        const server = await startTestPlugin({
          config: {
            connections: {
              warehouse: {
                client: connection.client,
                // As app-config holds it: plain JSON.
                connection: JSON.parse(JSON.stringify(connection.connection)),
              },
            },
            rules: [
              {
                name: 'move',
                match: { connection: 'warehouse' },
                target: { table: 'orders_v2' },
              },
            ],
            executor: { workerSlots: 1 },
          },
          entities: [datasetEntity('orders', 'warehouse:orders')],
        });
        const planRes = await request(server)
          .post('/api/dataset-migrations/plans')
          .send({ entityRef: 'resource:default/orders' });
        expect(planRes.status).toBe(200);
        expect(planRes.body.plan.findings).toContainEqual(
          expect.objectContaining({
            code: 'target-exists',
            severity: 'blocking',
          }),
        );
        const start = await request(server)
          .post('/api/dataset-migrations/migrations')
          .send({
            entityRef: 'resource:default/orders',
            planHash: planRes.body.plan.hash,
          });
        expect(start.status).toBe(400);
        expect(start.body.error.message).toMatch(/orders_v2, already exists/);
        expect(await squatted(knex)).toEqual(SQUATTED);
      } finally {
        await registry.destroy();
      }
    },
  );
});
