import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { allRows } from '../dialects/rawRows';
import { COPY_BATCH_SIZE } from '../plan/sql/generateArtifacts';
import type { Dialect, TableName } from '../dialects/Dialect';
import { engineConnection } from '../__testUtils__/engineConnections';
import { planFor } from '../__testUtils__/planFor';
import { rule } from '../__testUtils__/rule';
import { StepRecord, stepContext } from '../__testUtils__/stepContext';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { STEPS } from '../execute/steps';

jest.setTimeout(180_000);

/**
 * Names that look like SQL to a careless executor: a key column named like the copy's
 * own placeholder, `.` that a query builder would split into schema and table, `?` and
 * `$1` that drivers take for bind parameters, `'` that ends a literal, and ` as ` that
 * knex reads as an alias.
 */
const TABLE = `odd.tab?$'le`;
const KEY_TEXT = ':after_0';
const KEY_INT = 'k.2?';
const COLUMNS = [
  KEY_TEXT,
  KEY_INT,
  `it's`,
  '$1',
  'a.b as c',
  '??',
  ':up_to_0',
  // The catch-up statements' own hole.
  ':dm_seqs',
];

// More rows than one keyset batch, so the copy goes on after a key with these values.
const ROWS = COPY_BATCH_SIZE + 700;

/** Text that must arrive byte for byte: quotes, backslashes and placeholder look-alikes. */
const tricky = (i: number) =>
  [
    `it's ${i}`,
    `back\\slash ${i}`,
    `\\' ${i}`,
    `? $1 :after_0 ${i}`,
    `tab\there ${i}`,
    `"dq" ${i} \\\\`,
  ][i % 6];

const rowOf = (i: number): string[] => [
  // Composite key: text with quotes and backslashes, then an integer.
  `${tricky(i)} #${String(i).padStart(5, '0')}`,
  String(i % 3),
  tricky(i + 1),
  `$${i}`,
  `a.b ${i}`,
  i % 7 ? `??${i}` : (null as unknown as string),
  `:up_to_${i}`,
  `:dm_seqs ${i} \\`,
];

function createSql(d: Dialect, name: TableName): string {
  return d.createTable(
    name,
    COLUMNS.map((c, i) => ({
      name: c,
      type:
        i === 1
          ? d.renderType({ kind: 'integer' })
          : d.renderType({ kind: 'varchar', length: 200 }),
      isNullable: i > 1,
      defaultValue: null,
    })),
    [KEY_TEXT, KEY_INT],
  );
}

/** INSERTs written out with the dialect's quoting and literals: no query builder. */
async function insertRows(
  knex: Knex,
  d: Dialect,
  name: TableName,
  rows: string[][],
) {
  const columns = COLUMNS.map(c => d.quote(c)).join(', ');
  for (let i = 0; i < rows.length; i += 200) {
    const values = rows
      .slice(i, i + 200)
      .map(
        row =>
          `(${row
            .map((v, j) => {
              if (v === null) return 'NULL';
              return j === 1 ? v : d.literal(v);
            })
            .join(', ')})`,
      )
      .join(', ');
    await knex.raw(
      `INSERT INTO ${d.qualify(name)} (${columns}) VALUES ${values}`,
    );
  }
}

/** Every row as text, in key order, under the table's own column names. */
async function rowsOf(knex: Knex, d: Dialect, name: TableName) {
  const rows = allRows(
    await knex.raw(
      `SELECT ${COLUMNS.map(c => d.quote(c)).join(', ')} FROM ${d.qualify(
        name,
      )}`,
    ),
  );
  return rows
    .map(r => COLUMNS.map(c => (r[c] === null ? null : String(r[c]))))
    .sort((a, b) => (a.join('\u0000') < b.join('\u0000') ? -1 : 1));
}

async function columnNames(
  knex: Knex,
  d: Dialect,
  connection: string,
  name: TableName,
) {
  const schema = await d.introspect(knex, connection, name);
  return schema.columns.map(c => c.name);
}

type Case = {
  name: string;
  ids: [TestDatabaseId, TestDatabaseId];
  /** Source and target in one database (push-down copy). */
  isSameDatabase?: boolean;
};

const CASES: Case[] = [
  {
    name: 'SQLite -> SQLite, one file',
    ids: ['SQLITE_3', 'SQLITE_3'],
    isSameDatabase: true,
  },
  { name: 'SQLite -> SQLite, two files', ids: ['SQLITE_3', 'SQLITE_3'] },
  {
    name: 'PostgreSQL -> PostgreSQL, one database',
    ids: ['POSTGRES_15', 'POSTGRES_15'],
    isSameDatabase: true,
  },
  {
    name: 'PostgreSQL -> PostgreSQL, two databases',
    ids: ['POSTGRES_15', 'POSTGRES_15'],
  },
  { name: 'PostgreSQL -> MariaDB', ids: ['POSTGRES_15', 'MYSQL_8'] },
  { name: 'MariaDB -> PostgreSQL', ids: ['MYSQL_8', 'POSTGRES_15'] },
  {
    name: 'MariaDB -> MariaDB, one database',
    ids: ['MYSQL_8', 'MYSQL_8'],
    isSameDatabase: true,
  },
];

describe('names and values of any shape', () => {
  const databases = createTestDatabases();

  it.each(CASES.map(c => [c.name, c] as const))(
    '%s: every row and name arrives exactly, writes during the copy included',
    async (_name, c) => {
      const source = await engineConnection(databases, c.ids[0], 'src');
      const target = c.isSameDatabase
        ? { ...source, name: 'dst' }
        : await engineConnection(databases, c.ids[1], 'dst');
      const registry = new ConnectionRegistry(
        new Map([
          ['src', source],
          ['dst', target],
        ]),
      );
      try {
        const sk = registry.get('src');
        const sd = registry.dialect('src');
        const from: TableName = { table: TABLE };
        await sk.raw(createSql(sd, from));
        await insertRows(
          sk,
          sd,
          from,
          Array.from({ length: ROWS }, (_, i) => rowOf(i)),
        );

        const plan: Plan = await planFor(
          registry,
          { connection: 'src', table: TABLE },
          [
            rule({
              name: 'move',
              target: { connection: 'dst', table: '{table}_v2' },
            }),
          ],
          'resource:default/odd',
        );
        expect(plan.preflight?.error).toBeUndefined();
        expect(plan.preflight?.status).toBe('passed');
        expect(plan.target.table).toBe(`${TABLE}_v2`);

        const records = new Map<string, StepRecord>();
        const run = async (step: string) => {
          const record = records.get(step) ?? { events: [] };
          records.set(step, record);
          const ctx = {
            ...stepContext(registry, plan, record),
            migrationId: 'm-odd',
          };
          await STEPS.find(s => s.name === step)!.run(ctx);
        };
        await run('preflight');
        await run('provision');
        // Writes after capture started: catch-up replays them by these keys.
        const q = (n: string) => sd.quote(n);
        const key = (i: number) =>
          `${q(KEY_TEXT)} = ${sd.literal(rowOf(i)[0])} AND ${q(KEY_INT)} = ${
            i % 3
          }`;
        await insertRows(sk, sd, from, [rowOf(ROWS), rowOf(ROWS + 1)]);
        await sk.raw(
          `UPDATE ${sd.qualify(from)} SET ${q(`it's`)} = ${sd.literal(
            `updated 'x' \\ ?`,
          )} WHERE ${key(4)}`,
        );
        await sk.raw(`DELETE FROM ${sd.qualify(from)} WHERE ${key(5)}`);
        for (const step of ['copy', 'catch-up', 'verify']) await run(step);

        const tk = registry.get('dst');
        const td = registry.dialect('dst');
        const to: TableName = {
          schema: plan.target.schema,
          table: plan.target.table,
        };
        const expected = await rowsOf(sk, sd, from);
        expect(expected).toHaveLength(ROWS + 1);
        expect(await rowsOf(tk, td, to)).toEqual(expected);
        expect(await columnNames(tk, td, 'dst', to)).toEqual(COLUMNS);

        await run('cutover');
        // Readers of the old name still see every row (a view, or the frozen source).
        expect(await rowsOf(sk, sd, from)).toEqual(expected);
      } finally {
        await registry.destroy();
      }
    },
  );
});
