import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import type { DatasetMigrationRule } from '@internal/backstage-plugin-dataset-migrations-node';
import type { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { allRows } from '../dialects/rawRows';
import { copyStep } from '../execute/steps/copyStep';
import { provisionStep } from '../execute/steps/provisionStep';
import { SQL_AGENT_CANDIDATE, SqlAgent } from '../plan/SqlAgent';
import { planFor } from '../__testUtils__/planFor';
import { StepRecord, stepContext } from '../__testUtils__/stepContext';
import { testConnections } from '../__testUtils__/testConnections';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { createTestMigration, useTestStore } from '../__testUtils__/testStore';
import { driveMigration, testRunner } from '../__testUtils__/testRunner';

jest.setTimeout(120_000);

const ROWS = 2_000;

const MOVE: DatasetMigrationRule[] = [
  {
    name: 'move',
    match: {},
    allowDestructive: false,
    computed: [],
    target: { connection: 'dst', table: '{table}_v2' },
  },
];

/** A table with a key and three secondary indexes: plain, unique, composite. */
async function seed(registry: ConnectionRegistry) {
  const knex = registry.get('src');
  const isMysql = registry.config('src').client === 'mysql2';
  await knex.raw(
    `CREATE TABLE orders (id integer PRIMARY KEY, customer varchar(40) NOT NULL, email varchar(80) NOT NULL, placed_at ${
      isMysql ? 'datetime' : 'timestamp'
    } NOT NULL, note text)`,
  );
  await knex.raw('CREATE INDEX orders_customer ON orders (customer)');
  await knex.raw('CREATE UNIQUE INDEX orders_email ON orders (email)');
  await knex.raw(
    'CREATE INDEX orders_customer_placed ON orders (customer, placed_at)',
  );
  const rows = Array.from({ length: ROWS }, (_, i) => ({
    id: i + 1,
    customer: `customer-${i % 37}`,
    email: `buyer${i}@example.com`,
    placed_at: `2025-0${(i % 9) + 1}-1${i % 10} 10:00:00`,
    note: i % 4 ? `note ${i}` : null,
  }));
  for (let i = 0; i < rows.length; i += 500)
    await knex('orders').insert(rows.slice(i, i + 500));
}

/** The target's secondary indexes as its catalog has them: columns and uniqueness. */
async function targetIndexes(registry: ConnectionRegistry, plan: Plan) {
  const table = await registry
    .dialect('dst')
    .introspect(registry.get('dst'), 'dst', {
      schema: plan.target.schema,
      table: plan.target.table,
    });
  return table.indexes
    .map(index => `${index.isUnique ? 'unique ' : ''}${index.columns}`)
    .sort();
}

const EXPECTED_INDEXES = ['customer', 'customer,placed_at', 'unique email'];

const planCandidate = (registry: ConnectionRegistry) =>
  planFor(
    registry,
    { connection: 'src', table: 'orders' },
    MOVE,
    undefined,
    new SqlAgent(SQL_AGENT_CANDIDATE),
  );

describe('SQL agent 1.4.0: secondary indexes built after the copy', () => {
  const databases = createTestDatabases();
  const pluginStore = useTestStore();

  describe.each(databases.eachSupportedId())('on %p', id => {
    let registry: ConnectionRegistry;
    let destroy: () => Promise<void>;
    beforeEach(async () => {
      const connections = await testConnections(databases, id, ['src', 'dst']);
      registry = connections.registry;
      destroy = connections.destroy;
      await seed(registry);
    });
    afterEach(() => destroy());

    it('plans the same indexes as 1.3.0, after the copy instead of with the table, and proves them in preflight', async () => {
      const stable = await planFor(
        registry,
        { connection: 'src', table: 'orders' },
        MOVE,
      );
      const candidate = await planCandidate(registry);
      expect(stable.artifacts.postCopyDdl).toBeUndefined();
      expect(stable.artifacts.targetDdl).toHaveLength(4);
      expect(candidate.artifacts.targetDdl).toEqual(
        stable.artifacts.targetDdl.slice(0, 1),
      );
      expect(candidate.artifacts.postCopyDdl).toEqual(
        stable.artifacts.targetDdl.slice(1),
      );
      expect(candidate.preflight).toMatchObject({ status: 'passed' });
      // Nothing else differs: the copy, views, validation and rollback are 1.3.0's.
      const { targetDdl: _a, postCopyDdl: _b, ...rest } = candidate.artifacts;
      const { targetDdl: _c, ...stableRest } = stable.artifacts;
      expect(rest).toEqual(stableRest);
    });

    it('migrates end to end and leaves the target with every index', async () => {
      const plan = await planCandidate(registry);
      const store = pluginStore();
      const { id: migrationId } = await createTestMigration(store, plan);
      const cutOver = await driveMigration(
        testRunner(store, registry),
        store,
        migrationId,
        { maxRuns: 1 },
      );
      expect(cutOver.error).toBeNull();
      expect(cutOver.status).toBe('awaiting_cleanup');
      expect(await targetIndexes(registry, plan)).toEqual(EXPECTED_INDEXES);
      const counted = allRows(
        await registry
          .get('dst')
          .raw(
            `SELECT COUNT(*) AS n FROM ${registry
              .dialect('dst')
              .qualify({ schema: plan.target.schema, table: 'orders_v2' })}`,
          ),
      );
      expect(Number(counted[0].n)).toBe(ROWS);
      const events = await store.listEvents(migrationId, 0, 10_000);
      expect(events.map(e => e.message)).toContain(
        'Built 3 indexes of orders_v2 after the copy',
      );
    });

    it('resumes after a crash once some or all indexes were built, and undo takes them with the table', async () => {
      const plan = await planCandidate(registry);
      const record: StepRecord = { events: [] };
      const ctx = stepContext(registry, plan, record);
      const built = () =>
        record.events.filter(e => e.message.startsWith('Built '));
      await provisionStep.run(ctx);
      // With only its key while the rows go in.
      expect(await targetIndexes(registry, plan)).toEqual([]);
      await copyStep.run(ctx);
      expect(await targetIndexes(registry, plan)).toEqual(EXPECTED_INDEXES);

      // Crashed after the last index, before the step was recorded done: run again.
      await copyStep.run(ctx);
      expect(built().at(-1)?.data).toEqual({ indexesBuilt: 0, indexesKept: 3 });

      // Crashed between two indexes: only the missing one is built.
      const dialect = registry.dialect('dst');
      const second = plan.artifacts.postCopyDdl![1];
      const [, name] = /INDEX (\S+) ON /.exec(second)!;
      await registry.get('dst').raw(
        dialect.engine === 'mysql'
          ? `DROP INDEX ${name} ON ${dialect.qualify({
              schema: plan.target.schema,
              table: plan.target.table,
            })}`
          : `DROP INDEX ${name}`,
      );
      await copyStep.run(ctx);
      expect(built().at(-1)?.data).toEqual({ indexesBuilt: 1, indexesKept: 2 });
      expect(await targetIndexes(registry, plan)).toEqual(EXPECTED_INDEXES);

      // Undo drops the table with its indexes: a new attempt builds them all again
      // (on PostgreSQL and SQLite an index left behind would block its name).
      await provisionStep.undo(ctx);
      expect(
        await dialect.findRelations(registry.get('dst'), {
          schema: plan.target.schema,
          table: plan.target.table,
        }),
      ).toEqual([]);
      record.checkpoint = undefined;
      await provisionStep.run(ctx);
      await copyStep.run(ctx);
      expect(built().at(-1)?.data).toEqual({ indexesBuilt: 3, indexesKept: 0 });
      expect(await targetIndexes(registry, plan)).toEqual(EXPECTED_INDEXES);
    });
  });
});
