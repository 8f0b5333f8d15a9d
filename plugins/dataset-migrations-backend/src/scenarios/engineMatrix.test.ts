/* eslint-disable jest/no-standalone-expect -- the fdw rollback test runs through
   `itOnPostgres`, which is `it` whenever PostgreSQL is available (always under CI=true). */
import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import type { DatasetMigrationRule } from '@internal/backstage-plugin-dataset-migrations-node';
import { Knex } from 'knex';
import type { ConnectionConfig } from '../config/DatasetMigrationsConfig';
import { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { allRows, firstRow } from '../dialects/rawRows';
import { dialectFor } from '../dialects';
import {
  compareValidation,
  readValidationRow,
} from '../plan/sql/validationQuery';
import { engineConnection } from '../__testUtils__/engineConnections';
import { planFor } from '../__testUtils__/planFor';
import { createTestDatabases, itOn } from '../__testUtils__/testDatabases';
import { createTestMigration, useTestStore } from '../__testUtils__/testStore';
import { testRunner, driveMigration } from '../__testUtils__/testRunner';

jest.setTimeout(120_000);

const ROWS = 3_000;

async function seed(
  knex: Knex,
  client: ConnectionConfig['client'],
  schema: string | undefined,
) {
  const d = dialectFor(client);
  const name = { schema, table: 'playEvents' };
  await knex.raw(
    d.createTable(
      name,
      [
        {
          name: 'eventId',
          type: d.renderType({ kind: 'bigint' }),
          isNullable: false,
          defaultValue: null,
        },
        {
          name: 'trackName',
          type: d.renderType({ kind: 'varchar', length: 120 }),
          isNullable: false,
          defaultValue: null,
        },
        {
          name: 'playedAt',
          type: d.renderType({ kind: 'timestamp' }),
          isNullable: false,
          defaultValue: null,
        },
        {
          name: 'durationMs',
          type: d.renderType({ kind: 'integer' }),
          isNullable: true,
          defaultValue: null,
        },
        {
          name: 'isSkipped',
          type: d.renderType({ kind: 'boolean' }),
          isNullable: false,
          defaultValue: d.literal(false),
        },
        {
          name: 'price',
          type: d.renderType({ kind: 'decimal', precision: 8, scale: 2 }),
          isNullable: true,
          defaultValue: null,
        },
      ],
      ['eventId'],
    ),
  );
  const rows = Array.from({ length: ROWS }, (_, i) => ({
    eventId: i * 7 + 1,
    trackName: `Track ${i % 97} – ${['Ω', 'ü', '曲'][i % 3]}`,
    playedAt: `2025-0${(i % 9) + 1}-1${i % 10} 0${i % 10}:3${i % 10}:00`,
    durationMs: i % 13 ? i * 11 : null,
    // PostgreSQL takes booleans, the others 0/1.
    isSkipped: client === 'pg' ? i % 4 === 0 : Number(i % 4 === 0),
    price: i % 5 ? (i % 1000) / 10 : null,
  }));
  for (let i = 0; i < rows.length; i += 500) {
    await (schema ? knex.withSchema(schema) : knex)
      .table('playEvents')
      .insert(rows.slice(i, i + 500));
  }
}

const read = async (knex: Knex, sql: string) => allRows(await knex.raw(sql));

/** Enables postgres_fdw source -> target; the password needs quoting and holds a `?`. */
const FDW_PAIR = {
  source: 'source',
  target: 'target',
  password: `it's a "pass?word" \\? $1`,
};

/** Tables, views and foreign tables named playEvents* in the public schema, with their pg_class kind. */
const relationKinds = async (knex: Knex) =>
  (
    await read(
      knex,
      `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relname LIKE 'playEvents%'
         AND c.relkind IN ('r', 'v', 'f') ORDER BY c.relname`,
    )
  ).map(r => ({ name: String(r.name), kind: String(r.kind) }));

const NO_FDW_OBJECTS = { servers: 0, userMappings: 0, foreignTables: 0 };

/** What postgres_fdw objects a database holds. */
async function fdwObjects(knex: Knex) {
  const [row] = await read(
    knex,
    `SELECT (SELECT COUNT(*) FROM pg_foreign_server) AS servers,
            (SELECT COUNT(*) FROM pg_user_mappings) AS mappings,
            (SELECT COUNT(*) FROM pg_foreign_table) AS tables`,
  );
  return {
    servers: Number(row.servers),
    userMappings: Number(row.mappings),
    foreignTables: Number(row.tables),
  };
}

async function expectNoFdwObjects(knex: Knex) {
  expect(await fdwObjects(knex)).toEqual(NO_FDW_OBJECTS);
}

/** The password reached the user mapping intact, `?` and quotes included. */
async function expectUserMapping(knex: Knex) {
  const mappings = await read(
    knex,
    `SELECT umoptions AS options FROM pg_user_mappings WHERE srvname = 'dm_fdw_target'`,
  );
  expect(mappings).toHaveLength(1);
  expect(mappings[0].options).toContain(`password=${FDW_PAIR.password}`);
}

/** Plans go to the browser: no address or credential of the target may be in one. */
function expectNoSecrets(plan: Plan, target: ConnectionConfig) {
  const text = JSON.stringify(plan);
  const settings = target.connection as Record<string, unknown>;
  for (const value of [settings.host, settings.database, FDW_PAIR.password]) {
    expect(text).not.toContain(String(value));
  }
  expect(text).toContain(`SERVER \\"dm_fdw_target\\"`);
  expect(text).toContain(`password '<redacted>'`);
}

describe('the executor on real engines', () => {
  const databases = createTestDatabases();
  const supported = new Set(databases.eachSupportedId().map(([id]) => id));
  const pluginStore = useTestStore();

  async function migrate(registry: ConnectionRegistry, plan: Plan) {
    const store = pluginStore();
    const runner = testRunner(store, registry);
    const created = await createTestMigration(store, plan);
    const cutOver = await driveMigration(runner, store, created.id, {
      maxRuns: 1,
    });
    expect(cutOver.error).toBeNull();
    expect(cutOver.status).toBe('awaiting_cleanup');
    // Every copy strategy reports the rows it moved (push-down: the INSERT's own count).
    expect(cutOver.steps.find(step => step.name === 'copy')!.progress).toEqual({
      done: ROWS,
      total: ROWS,
      unit: 'rows',
    });
    return {
      id: created.id,
      finalize: async () => {
        await store.setStatus(created.id, 'cleaning_up', {
          expected: ['awaiting_cleanup'],
          runAfter: new Date(),
        });
        const finalized = await driveMigration(runner, store, created.id, {
          whileStatus: ['cleaning_up'],
          maxRuns: 1,
        });
        expect(finalized.status).toBe('completed');
      },
    };
  }

  async function expectParity(registry: ConnectionRegistry, plan: Plan) {
    const s = readValidationRow(
      firstRow(
        await registry
          .get(plan.source.connection)
          .raw(
            plan.artifacts.validation.source.replace(
              /playEvents/,
              plan.compatibility === 'frozen-source'
                ? 'playEvents'
                : 'playEvents__dm_backup',
            ),
          ),
      ) ?? {},
    );
    const t = readValidationRow(
      firstRow(
        await registry
          .get(plan.target.connection)
          .raw(plan.artifacts.validation.target),
      ) ?? {},
    );
    const td = dialectFor(registry.config(plan.target.connection).client);
    expect(
      compareValidation(
        s,
        t,
        plan.columns.map(c => ({
          name: c.target,
          type: td.toLogical(c.targetType),
        })),
      ),
    ).toEqual([]);
    expect(t.row_count).toBe(ROWS);
  }

  const rules = (
    target: DatasetMigrationRule['target'],
  ): DatasetMigrationRule[] => [
    {
      name: 'move',
      match: {},
      renameColumns: 'snake_case',
      allowDestructive: false,
      computed: [],
      target,
    },
  ];

  const cases: Array<{
    name: string;
    ids: [string, string];
    sameServer?: boolean;
    sourceSchema?: string;
    /** Enable postgres_fdw for source -> target (with a password that needs quoting). */
    postgresFdw?: boolean;
    target: DatasetMigrationRule['target'];
    expect: Plan['compatibility'];
  }> = [
    {
      name: 'PostgreSQL -> PostgreSQL across schemas',
      ids: ['POSTGRES_15', 'POSTGRES_15'],
      sameServer: true,
      sourceSchema: 'legacy',
      target: {
        connection: 'target',
        schema: 'modern',
        table: '{table:snake}',
      },
      expect: 'view',
    },
    {
      name: 'PostgreSQL -> PostgreSQL across databases through postgres_fdw',
      ids: ['POSTGRES_15', 'POSTGRES_15'],
      postgresFdw: true,
      target: { connection: 'target', table: '{table:snake}' },
      expect: 'foreign-view',
    },
    {
      name: 'MariaDB -> MariaDB across databases on one server',
      ids: ['MYSQL_8', 'MYSQL_8'],
      target: { connection: 'target', table: '{table:snake}' },
      expect: 'view',
    },
    {
      name: 'MariaDB -> PostgreSQL',
      ids: ['MYSQL_8', 'POSTGRES_15'],
      target: { connection: 'target', table: '{table:snake}' },
      expect: 'frozen-source',
    },
    {
      name: 'PostgreSQL -> MariaDB',
      ids: ['POSTGRES_15', 'MYSQL_8'],
      target: { connection: 'target', table: '{table:snake}' },
      expect: 'frozen-source',
    },
  ];

  // Like eachSupportedId: outside CI a missing engine drops its cases (scripts/test.sh
  // says so); under CI=true TestDatabases fails instead.
  const runnable = cases.filter(c =>
    c.ids.every(id => supported.has(id as any)),
  );

  it.each(runnable.map(c => [c.name, c] as const))(
    '%s: copies with parity, serves the old name, finalizes',
    async (_name, c) => {
      const source = await engineConnection(
        databases,
        c.ids[0] as any,
        'source',
      );
      const target = c.sameServer
        ? { ...source, name: 'target' }
        : await engineConnection(databases, c.ids[1] as any, 'target');
      const registry = new ConnectionRegistry(
        new Map([
          ['source', source],
          ['target', target],
        ]),
        { postgresFdw: c.postgresFdw ? [FDW_PAIR] : [] },
      );
      try {
        const sk = registry.get('source');
        if (c.sourceSchema) {
          await sk.raw(`CREATE SCHEMA ${c.sourceSchema}`);
          await sk.raw(`CREATE SCHEMA modern`);
        }
        await seed(sk, source.client, c.sourceSchema);
        const sd = dialectFor(source.client);
        const oldName = sd.qualify({
          schema: c.sourceSchema ?? (await sd.currentSchema(sk)),
          table: 'playEvents',
        });
        const before = await read(
          sk,
          `SELECT * FROM ${oldName} ORDER BY ${sd.quote('eventId')}`,
        );

        const plan = await planFor(
          registry,
          { connection: 'source', schema: c.sourceSchema, table: 'playEvents' },
          rules(c.target),
        );
        expect(plan.preflight?.error).toBeUndefined();
        expect(plan.compatibility).toBe(c.expect);
        if (c.postgresFdw) expectNoSecrets(plan, target);

        const run = await migrate(registry, plan);
        await expectParity(registry, plan);
        if (c.postgresFdw) await expectUserMapping(sk);
        // Readers of the old name see the old columns and values.
        const after = await read(
          sk,
          `SELECT * FROM ${oldName} ORDER BY ${sd.quote('eventId')}`,
        );
        expect(JSON.stringify(after)).toBe(JSON.stringify(before));
        // Writers of a frozen source get a clear error. (A simple view passes writes
        // through to the new table, so writers there keep working.)
        const writeOutcome =
          c.expect === 'frozen-source'
            ? await sk.raw(`DELETE FROM ${oldName}`).then(
                () => 'deleted',
                (e: Error) => e.message,
              )
            : 'not tried through a view';
        expect(writeOutcome).toMatch(
          c.expect === 'frozen-source' ? /Read-only until cleanup/ : /view/,
        );

        await run.finalize();
        const td = dialectFor(target.client);
        const tk = registry.get('target');
        const moved = await read(
          tk,
          `SELECT COUNT(*) AS n FROM ${td.qualify({
            schema: plan.target.schema,
            table: plan.target.table,
          })}`,
        );
        expect(Number(moved[0].n)).toBe(ROWS);
        const sourceSchema = c.sourceSchema ?? (await sd.currentSchema(sk));
        const leftovers = allRows(
          await sk.raw(
            `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE ?`,
            [sourceSchema!, 'playEvents%'],
          ),
        );
        expect(leftovers).toEqual([]);
        if (c.postgresFdw) await expectNoFdwObjects(sk);
      } finally {
        await registry.destroy();
      }
    },
  );

  const itOnPostgres = itOn(databases, 'POSTGRES_15');

  /** Two PostgreSQL databases, `source` and `target`, with postgres_fdw allowed between them. */
  async function fdwConnections() {
    return new ConnectionRegistry(
      new Map([
        ['source', await engineConnection(databases, 'POSTGRES_15', 'source')],
        ['target', await engineConnection(databases, 'POSTGRES_15', 'target')],
      ]),
      { postgresFdw: [FDW_PAIR] },
    );
  }

  itOnPostgres(
    'PostgreSQL -> PostgreSQL through postgres_fdw: two moves share the foreign server until the last finalize',
    async () => {
      const registry = await fdwConnections();
      try {
        const sk = registry.get('source');
        const runs = [];
        for (const schema of ['north', 'south']) {
          await sk.raw(`CREATE SCHEMA ${schema}`);
          await seed(sk, 'pg', schema);
          const plan = await planFor(
            registry,
            { connection: 'source', schema, table: 'playEvents' },
            rules({ connection: 'target', table: '{schema}_{table:snake}' }),
            `resource:default/${schema}-play-events`,
          );
          expect(plan.compatibility).toBe('foreign-view');
          // The second cutover finds the server and brings its options up to date.
          runs.push(await migrate(registry, plan));
        }
        const southRows = () =>
          read(sk, `SELECT COUNT(*) AS n FROM south."playEvents"`);
        expect(await fdwObjects(sk)).toEqual({
          servers: 1,
          userMappings: 1,
          foreignTables: 2,
        });

        await runs[0].finalize();
        expect(await fdwObjects(sk)).toEqual({
          servers: 1,
          userMappings: 1,
          foreignTables: 1,
        });
        expect(Number((await southRows())[0].n)).toBe(ROWS);

        await runs[1].finalize();
        await expectNoFdwObjects(sk);
      } finally {
        await registry.destroy();
      }
    },
  );

  itOnPostgres(
    'PostgreSQL -> PostgreSQL through postgres_fdw: a cutover failing mid-way leaves nothing behind and succeeds on retry; rollback removes every fdw object',
    async () => {
      const registry = await fdwConnections();
      try {
        const sk = registry.get('source');
        await seed(sk, 'pg', undefined);
        const rowsOf = () =>
          read(sk, `SELECT * FROM "playEvents" ORDER BY "eventId"`);
        const before = await rowsOf();
        const plan = await planFor(
          registry,
          { connection: 'source', table: 'playEvents' },
          rules({ connection: 'target', table: '{table:snake}' }),
        );
        expect(plan.compatibility).toBe('foreign-view');

        // A table squatting on the foreign table's name makes the cutover fail after
        // the server, the user mapping and the rename already ran in its transaction.
        await sk.raw(`CREATE TABLE "playEvents__dm_foreign" (x integer)`);
        const store = pluginStore();
        const runner = testRunner(store, registry);
        const created = await createTestMigration(store, plan);
        const signal = new AbortController().signal;
        await runner.run(created, 'test-worker', signal);
        let migration = (await store.getMigration(created.id))!;
        expect(migration.status).toBe('running');
        const cutover = migration.steps.find(s => s.name === 'cutover')!;
        expect(cutover.error).toMatch(/playEvents__dm_foreign.*already exists/);
        expect(await relationKinds(sk)).toEqual([
          { name: 'playEvents', kind: 'r' },
          { name: 'playEvents__dm_foreign', kind: 'r' },
        ]);
        await expectNoFdwObjects(sk);

        await sk.raw(`DROP TABLE "playEvents__dm_foreign"`);
        await runner.run(migration, 'test-worker', signal);
        migration = (await store.getMigration(created.id))!;
        expect(migration.error).toBeNull();
        expect(migration.status).toBe('awaiting_cleanup');
        expect(await relationKinds(sk)).toEqual([
          { name: 'playEvents', kind: 'v' },
          { name: 'playEvents__dm_backup', kind: 'r' },
          { name: 'playEvents__dm_foreign', kind: 'f' },
        ]);
        expect(JSON.stringify(await rowsOf())).toBe(JSON.stringify(before));

        await store.appendEvent(created.id, {
          type: 'rollback.requested',
          message: 'rollback requested by the test',
        });
        await store.setStatus(created.id, 'rolling_back', {
          expected: ['awaiting_cleanup'],
          runAfter: null,
        });
        const rolledBack = await driveMigration(runner, store, created.id, {
          whileStatus: ['rolling_back'],
          maxRuns: 1,
        });
        expect(rolledBack.status).toBe('rolled_back');
        expect(await relationKinds(sk)).toEqual([
          { name: 'playEvents', kind: 'r' },
        ]);
        expect(JSON.stringify(await rowsOf())).toBe(JSON.stringify(before));
        await expectNoFdwObjects(sk);
        expect(
          await registry.get('target').schema.hasTable('play_events'),
        ).toBe(false);
      } finally {
        await registry.destroy();
      }
    },
  );
});
