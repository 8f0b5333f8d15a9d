import { TestDatabaseId } from '@backstage/backend-test-utils';
import type {
  ColumnSchema,
  Engine,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { Knex } from 'knex';
import { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { allRows } from '../dialects/rawRows';
import { dialectFor } from '../dialects';
import type { Dialect, TableName } from '../dialects/Dialect';
import { engineConnection } from '../__testUtils__/engineConnections';
import { planMove } from '../__testUtils__/planFor';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { useTestStore } from '../__testUtils__/testStore';
import { runMigrationOnce } from '../__testUtils__/testRunner';

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

/** What the `code` column gets per pair: its collation, the target's default, or a finding. */
const EXPECTED_CODE_COLLATION: Record<string, string> = {
  'postgres->postgres': 'C',
  'postgres->mysql': 'utf8mb4_bin',
  'postgres->sqlite': 'default',
  'mysql->mysql': 'utf8mb4_general_ci',
  'mysql->postgres': 'finding',
  'mysql->sqlite': 'finding',
  'sqlite->sqlite': 'NOCASE',
  'sqlite->postgres': 'finding',
  'sqlite->mysql': 'finding',
};

/** Whether the new table's copied rows read back exactly as the backup's. */
async function sameValues(
  knex: Knex,
  d: Dialect,
  schema: string | undefined,
): Promise<boolean> {
  const values = async (table: string) =>
    JSON.stringify(
      await read(
        knex,
        `SELECT ${d.quote('ratio')} AS r, ${d.quote(
          'code',
        )} AS c FROM ${d.qualify({ schema, table })} WHERE ${d.quote(
          'id',
        )} <= ${MAX_KEY} ORDER BY ${d.quote('id')}`,
      ),
    );
  return (await values('fid_new')) === (await values('fid__dm_backup'));
}

const findingFor = (plan: Plan, code: string, column: string) =>
  plan.findings.find(f => f.code === code && f.column === column);

describe('columns keep what applications rely on, across all nine engine pairs', () => {
  const databases = createTestDatabases();
  const supported = new Set(databases.eachSupportedId().map(([id]) => id));
  const pluginStore = useTestStore();

  async function cutOver(registry: ConnectionRegistry, plan: Plan) {
    const store = pluginStore();
    const migration = await runMigrationOnce(store, registry, plan);
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

        const plan = await planMove(
          registry,
          { connection: 'source', table: 'fid' },
          { connection: 'target', table: 'fid_new' },
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
        // Writers of the old name: a view (same database; SQLite's views take no
        // writes) passes the insert to the new table, which numbers it.
        const viaView =
          plan.compatibility === 'view' && targetEngine !== 'sqlite'
            ? await insertOmittingKey(sk, sd, oldName, 'via view')
            : undefined;
        expect(viaView ? viaView.id > inserted.id : 'no writable view').toBe(
          isSameEngine && targetEngine !== 'sqlite' ? true : 'no writable view',
        );

        // The expression default fires.
        expect(inserted.made).not.toBeNull();

        // Same engine: exact declared types, identity and collation, and values read
        // back exactly as from the source (now the backup); nothing to report.
        const exactness = isSameEngine
          ? {
              columns: [...sourceColumns.values()].map(c => {
                const after = targetColumns.get(c.name)!;
                return [c.name, after.type, after.identity, after.collation];
              }),
              values: await sameValues(tk, td, plan.target.schema),
              findings: plan.findings.filter(f => f.column),
            }
          : undefined;
        expect(exactness).toEqual(
          isSameEngine
            ? {
                columns: [...sourceColumns.values()].map(c => [
                  c.name,
                  c.type,
                  c.identity,
                  c.collation,
                ]),
                values: true,
                findings: [],
              }
            : undefined,
        );

        // Another engine: a single-precision float widens everywhere but from SQLite,
        // whose REAL is a double; a case-insensitive collation has no equivalent, while
        // PostgreSQL's byte-wise C becomes the target's byte-wise one.
        const collationFinding = findingFor(plan, 'collation-change', 'code');
        expect({
          ratio: Boolean(findingFor(plan, 'lossy-type', 'ratio')),
          code: collationFinding
            ? 'finding'
            : targetColumns.get('code')!.collation ?? 'default',
        }).toEqual({
          ratio: !isSameEngine && sourceEngine !== 'sqlite',
          code: EXPECTED_CODE_COLLATION[`${sourceEngine}->${targetEngine}`],
        });
      } finally {
        await registry.destroy();
      }
    },
  );
});
