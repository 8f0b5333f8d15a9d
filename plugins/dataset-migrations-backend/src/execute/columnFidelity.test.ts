import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import type {
  ColumnSchema,
  Engine,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import knexFactory, { Knex } from 'knex';
import { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { allRows } from '../connections/rawRows';
import { dialectFor } from '../plan/dialects';
import type { Dialect, TableName } from '../plan/dialects/Dialect';
import { KnexMigrationStore } from '../store/KnexMigrationStore';
import { migrateStore } from '../store/migrateStore';
import { engineConnection } from '../__testUtils__/engineConnections';
import { planFor } from '../__testUtils__/planFor';
import { rule } from '../__testUtils__/rule';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DEFAULT_EXECUTOR_SETTINGS } from './ExecutorSettings';
import { MigrationRunner } from './MigrationRunner';

jest.setTimeout(120_000);

/** The largest key the source holds: above what any counter handed out. */
const MAX_KEY = 1000;
const ROWS = 21;

/**
 * Each engine's own DDL for a table with a generated key, an expression default, a
 * single-precision float and a text column with a collation of its own; and the rows:
 * keys 1..20 generated, and MAX_KEY given.
 */
const SOURCE: Record<
  Engine,
  { ddl: string; generated: string; given: string }
> = {
  postgres: {
    ddl: `CREATE TABLE "fid" (
      "id" integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      "made_at" timestamp DEFAULT now(),
      "ratio" real,
      "code" text COLLATE "C",
      "label" varchar(40))`,
    generated: `INSERT INTO "fid" ("ratio", "code", "label") VALUES (0.1, 'b', 'old')`,
    given: `INSERT INTO "fid" ("id", "ratio", "code", "label") OVERRIDING SYSTEM VALUE VALUES (${MAX_KEY}, 0.1, 'A', 'old')`,
  },
  mysql: {
    ddl: `CREATE TABLE \`fid\` (
      \`id\` int NOT NULL AUTO_INCREMENT PRIMARY KEY,
      \`made_at\` datetime DEFAULT current_timestamp(),
      \`ratio\` float,
      \`code\` varchar(20) COLLATE utf8mb4_general_ci,
      \`label\` varchar(40))`,
    generated:
      "INSERT INTO `fid` (`ratio`, `code`, `label`) VALUES (0.1, 'b', 'old')",
    given: `INSERT INTO \`fid\` (\`id\`, \`ratio\`, \`code\`, \`label\`) VALUES (${MAX_KEY}, 0.1, 'A', 'old')`,
  },
  sqlite: {
    ddl: `CREATE TABLE "fid" (
      "id" INTEGER PRIMARY KEY AUTOINCREMENT,
      "made_at" DATETIME DEFAULT CURRENT_TIMESTAMP,
      "ratio" REAL,
      "code" TEXT COLLATE NOCASE,
      "label" VARCHAR(40))`,
    generated: `INSERT INTO "fid" ("ratio", "code", "label") VALUES (0.1, 'b', 'old')`,
    given: `INSERT INTO "fid" ("id", "ratio", "code", "label") VALUES (${MAX_KEY}, 0.1, 'A', 'old')`,
  },
};

const ID: Record<Engine, TestDatabaseId> = {
  postgres: 'POSTGRES_15',
  mysql: 'MYSQL_8',
  sqlite: 'SQLITE_3',
};

const ENGINES: Engine[] = ['postgres', 'mysql', 'sqlite'];
const PAIRS = ENGINES.flatMap(s => ENGINES.map(t => [s, t] as const));

const read = async (knex: Knex, sql: string) => allRows(await knex.raw(sql));

/** Inserts a row that gives neither key nor made_at; returns that row. */
async function insertOmittingKey(
  knex: Knex,
  d: Dialect,
  name: TableName,
  label: string,
) {
  await knex.raw(
    `INSERT INTO ${d.qualify(name)} (${d.quote('label')}) VALUES (?)`,
    [label],
  );
  const [row] = await read(
    knex,
    `SELECT ${d.quote('id')} AS id, ${d.quote(
      'made_at',
    )} AS made FROM ${d.qualify(name)} WHERE ${d.quote('label')} = '${label}'`,
  );
  return { id: Number(row.id), made: row.made };
}

const findingFor = (plan: Plan, code: string, column: string) =>
  plan.findings.find(f => f.code === code && f.column === column);

describe('columns keep what applications rely on, across all nine engine pairs', () => {
  const databases = createTestDatabases();
  const supported = new Set(databases.eachSupportedId().map(([id]) => id));
  let pluginKnex: Knex;
  let store: KnexMigrationStore;

  beforeEach(async () => {
    pluginKnex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    await migrateStore(mockServices.database({ knex: pluginKnex }));
    store = new KnexMigrationStore(pluginKnex);
  });
  afterEach(() => pluginKnex.destroy());

  async function cutOver(registry: ConnectionRegistry, plan: Plan) {
    const runner = new MigrationRunner({
      store,
      connections: registry,
      settings: { ...DEFAULT_EXECUTOR_SETTINGS, retryBaseMs: 10 },
      logger: mockServices.logger.mock(),
    });
    const created = await store.createMigration({
      entityRef: plan.entityRef,
      connection: plan.source.connection,
      ownerRef: null,
      plan,
      createdBy: 'user:default/test',
    });
    await runner.run(created, 'test-worker', new AbortController().signal);
    const migration = (await store.getMigration(created.id))!;
    expect(migration.error).toBeNull();
    expect(migration.status).toBe('awaiting_cleanup');
  }

  const runnable = PAIRS.filter(
    ([s, t]) => supported.has(ID[s]) && supported.has(ID[t]),
  );

  it.each(runnable.map(([s, t]) => [`${s} -> ${t}`, s, t] as const))(
    '%s: keys, defaults, types and collations carry, or the plan says what changes',
    async (_name, sourceEngine, targetEngine) => {
      const source = await engineConnection(
        databases,
        ID[sourceEngine],
        'source',
      );
      const isSameEngine = sourceEngine === targetEngine;
      // Same engine: the same database, so a view serves the old name.
      const target = isSameEngine
        ? { ...source, name: 'target' }
        : await engineConnection(databases, ID[targetEngine], 'target');
      const registry = new ConnectionRegistry(
        new Map([
          ['source', source],
          ['target', target],
        ]),
      );
      try {
        const sk = registry.get('source');
        const tk = registry.get('target');
        const sd = dialectFor(source.client);
        const td = dialectFor(target.client);
        const { ddl, generated, given } = SOURCE[sourceEngine];
        await sk.raw(ddl);
        for (let i = 1; i < ROWS; i++) await sk.raw(generated);
        await sk.raw(given);

        const plan = await planFor(
          registry,
          { connection: 'source', table: 'fid' },
          [
            rule({
              name: 'move',
              target: { connection: 'target', table: 'fid_new' },
            }),
          ],
        );
        expect(plan.preflight?.error).toBeUndefined();
        await cutOver(registry, plan);

        const newTable = { schema: plan.target.schema, table: 'fid_new' };
        const oldName = { schema: plan.source.schema, table: 'fid' };
        const sourceColumns = new Map(
          plan.source.columns.map(c => [c.name, c] as const),
        );
        const moved = await td.introspect(tk, 'target', newTable);
        const targetColumns = new Map<string, ColumnSchema>(
          moved.columns.map(c => [c.name, c] as const),
        );

        // The key: numbered on the new table, above every copied key.
        const inserted = await insertOmittingKey(tk, td, newTable, 'new');
        expect(inserted.id).toBeGreaterThan(MAX_KEY);
        expect(targetColumns.get('id')!.identity).toBeDefined();
        if (plan.compatibility === 'view' && targetEngine !== 'sqlite') {
          // Writers of the old name: the view passes the insert to the new table.
          const viaView = await insertOmittingKey(sk, sd, oldName, 'via view');
          expect(viaView.id).toBeGreaterThan(inserted.id);
        }

        // The expression default fires.
        expect(inserted.made).not.toBeNull();

        if (isSameEngine) {
          // Exact declared types, identity and collation.
          for (const [name, before] of sourceColumns) {
            const after = targetColumns.get(name)!;
            expect([name, after.type, after.identity, after.collation]).toEqual(
              [name, before.type, before.identity, before.collation],
            );
          }
          // Values read back exactly as from the source (now the backup).
          const values = async (table: string) =>
            JSON.stringify(
              await read(
                tk,
                `SELECT ${td.quote('ratio')} AS r, ${td.quote(
                  'code',
                )} AS c FROM ${td.qualify({
                  schema: plan.target.schema,
                  table,
                })} WHERE ${td.quote('id')} <= ${MAX_KEY} ORDER BY ${td.quote(
                  'id',
                )}`,
              ),
            );
          expect(await values('fid_new')).toBe(await values('fid__dm_backup'));
          expect(plan.findings.filter(f => f.column)).toEqual([]);
        } else {
          // A single-precision float widens on every other engine but SQLite, whose REAL is double.
          expect(Boolean(findingFor(plan, 'lossy-type', 'ratio'))).toBe(
            sourceEngine !== 'sqlite',
          );
          // A case-insensitive collation has no equivalent on another engine; PostgreSQL's
          // byte-wise C becomes the target's byte-wise one.
          const collation = targetColumns.get('code')!.collation;
          if (sourceEngine === 'postgres') {
            expect(
              findingFor(plan, 'collation-change', 'code'),
            ).toBeUndefined();
            expect([undefined, 'C', 'utf8mb4_bin']).toContain(collation);
          } else {
            expect(findingFor(plan, 'collation-change', 'code')).toBeDefined();
          }
        }
      } finally {
        await registry.destroy();
      }
    },
  );
});
