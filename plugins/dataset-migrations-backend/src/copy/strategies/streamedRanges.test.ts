/* eslint-disable jest/no-standalone-expect -- the tests run through `itOnMariaDb`, which
   is `it` (or `it.skip` outside CI without MariaDB), unknown to the rule by name. */
import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import type { ConnectionConfig } from '../../config/DatasetMigrationsConfig';
import { ConnectionRegistry } from '../../connections/ConnectionRegistry';
import { allRows } from '../../dialects/rawRows';
import { copyStep } from '../../execute/steps/copyStep';
import { provisionStep } from '../../execute/steps/provisionStep';
import {
  batchQueryTemplate,
  COPY_BATCH_SIZE,
  STREAMED_RANGE_ROWS,
} from '../../plan/sql/generateArtifacts';
import { engineConnection } from '../../__testUtils__/engineConnections';
import { planMove } from '../../__testUtils__/planFor';
import { StepRecord, stepContext } from '../../__testUtils__/stepContext';
import { createTestDatabases, itOn } from '../../__testUtils__/testDatabases';
import { readsStreamedRanges } from '../reviewedStatements';
import type { CopyCheckpoint } from './CopyCheckpoint';

jest.setTimeout(180_000);

/** Values COPY's text format and the type conversions could get wrong. */
const AWKWARD: Array<Record<string, unknown>> = [
  {
    id: 1,
    note: 'back\\slash\ttab\nnewline\rreturn \\N \\t',
    label: '\\N',
    bytes: Buffer.from([0, 9, 10, 13, 92, 255]),
    amount: '-12345678901234.123456',
    day: '2024-02-29',
    at: '2024-12-31 23:59:59.123456',
    flag: 1,
    score: 0.1,
    big: '18446744073709551615',
  },
  {
    id: 2,
    note: 'ünïcødé € 𝄞 😀 中文',
    label: '',
    bytes: Buffer.alloc(0),
    amount: '0.000001',
    day: '1970-01-01',
    at: '1970-01-01 00:00:00.000000',
    flag: 0,
    score: -1.5e-7,
    big: '0',
  },
  {
    id: 3,
    note: null,
    label: 'plain',
    bytes: null,
    amount: null,
    day: null,
    at: null,
    flag: null,
    score: null,
    big: null,
  },
  {
    id: 4,
    note: '\\\\\\',
    label: 'tab\tend\t',
    bytes: Buffer.from('\\x00', 'utf8'),
    amount: '99999999999999.999999',
    day: '9999-12-31',
    at: '2000-06-15 12:30:00.000001',
    flag: 1,
    score: 1e21,
    big: '9223372036854775808',
  },
];

/**
 * Each column as PostgreSQL prints it, by key: text as stored (`encode` for bytes), so
 * a changed byte anywhere shows.
 */
async function targetText(registry: ConnectionRegistry, table: string) {
  const rows = allRows(
    await registry.get('dst').raw(
      `SELECT id, note, label, encode(bytes, 'hex') AS bytes, amount::text AS amount,
         day::text AS day, at::text AS at, flag::text AS flag, score::text AS score,
         big::text AS big
       FROM ${table} ORDER BY id`,
    ),
  );
  return rows.map(r => ({ ...r, id: Number(r.id) }));
}

/** The plan as approved before ranges were streamed: keyset batches of 5,000. */
function asKeysetPlan(plan: Plan, registry: ConnectionRegistry): Plan {
  const shape = {
    sourceDialect: registry.dialect('src'),
    source: { schema: plan.source.schema, table: plan.source.table },
    copyKey: plan.copyKey,
    columns: plan.columns,
  };
  const text = (afterKey: boolean) =>
    batchQueryTemplate(shape, { afterKey, limit: COPY_BATCH_SIZE }).text();
  return {
    ...plan,
    artifacts: { ...plan.artifacts, copy: text(false), copyNext: text(true) },
  };
}

describe('streamed key ranges, MariaDB -> PostgreSQL', () => {
  const databases = createTestDatabases();
  const itOnMariaDb = itOn(databases, 'MYSQL_8');

  async function registryOf() {
    return new ConnectionRegistry(
      new Map<string, ConnectionConfig>([
        ['src', await engineConnection(databases, 'MYSQL_8', 'src')],
        ['dst', await engineConnection(databases, 'POSTGRES_15', 'dst')],
      ]),
    );
  }

  /** Inserts keys 1 … n through a digits table (no engine-specific generator). */
  async function seedKeys(registry: ConnectionRegistry, n: number) {
    const src = registry.get('src');
    await src.raw(
      'CREATE TABLE events (id int PRIMARY KEY, note text, label varchar(40) NOT NULL)',
    );
    await src.raw('CREATE TABLE digits (d int PRIMARY KEY)');
    await src.raw(
      'INSERT INTO digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)',
    );
    await src.raw(
      `INSERT INTO events (id, note, label)
       SELECT k, CONCAT('n\\t', k, '\\n\\\\'), CONCAT('label-', k % 97) FROM (
         SELECT 1 + a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 100000 * g.d AS k
         FROM digits a, digits b, digits c, digits e, digits f, digits g) AS seq_keys
       WHERE k <= ?`,
      [n],
    );
  }

  itOnMariaDb(
    'copies awkward values exactly as the keyset batches before it did',
    async () => {
      const registry = await registryOf();
      try {
        const src = registry.get('src');
        await src.raw(
          `CREATE TABLE awkward (id int PRIMARY KEY, note text, label varchar(40) NOT NULL,
             bytes varbinary(16), amount decimal(20,6), day date, at datetime(6),
             flag tinyint(1), score double, big bigint unsigned)`,
        );
        await src('awkward').insert(AWKWARD);
        const planTo = (table: string) =>
          planMove(
            registry,
            { connection: 'src', table: 'awkward' },
            { connection: 'dst', table },
          );
        const streamed = await planTo('awkward_streamed');
        const keyset = asKeysetPlan(await planTo('awkward_keyset'), registry);
        for (const plan of [streamed, keyset]) {
          const ctx = stepContext(registry, plan, { events: [] });
          // Which path runs: the plan made now streams ranges; the one approved
          // before runs as it was shown.
          expect(readsStreamedRanges(ctx)).toBe(plan === streamed);
          await provisionStep.run(ctx);
          await copyStep.run(ctx);
        }

        const copied = await targetText(registry, 'awkward_streamed');
        expect(copied).toEqual(await targetText(registry, 'awkward_keyset'));
        expect(copied).toEqual([
          {
            id: 1,
            note: 'back\\slash\ttab\nnewline\rreturn \\N \\t',
            label: '\\N',
            bytes: '00090a0d5cff',
            amount: '-12345678901234.123456',
            day: '2024-02-29',
            at: '2024-12-31 23:59:59.123456',
            flag: 'true',
            score: '0.1',
            big: '18446744073709551615',
          },
          {
            id: 2,
            note: 'ünïcødé € 𝄞 😀 中文',
            label: '',
            bytes: '',
            amount: '0.000001',
            day: '1970-01-01',
            at: '1970-01-01 00:00:00',
            flag: 'false',
            score: '-1.5e-07',
            big: '0',
          },
          {
            id: 3,
            note: null,
            label: 'plain',
            bytes: null,
            amount: null,
            day: null,
            at: null,
            flag: null,
            score: null,
            big: null,
          },
          {
            id: 4,
            note: '\\\\\\',
            label: 'tab\tend\t',
            bytes: '5c783030',
            amount: '99999999999999.999999',
            day: '9999-12-31',
            at: '2000-06-15 12:30:00.000001',
            flag: 'true',
            score: '1e+21',
            big: '9223372036854775808',
          },
        ]);
      } finally {
        await registry.destroy();
      }
    },
  );

  itOnMariaDb(
    'checkpoints once per committed range and resumes after the last one',
    async () => {
      const registry = await registryOf();
      try {
        const rows = STREAMED_RANGE_ROWS + 1;
        await seedKeys(registry, rows);
        const plan = await planMove(
          registry,
          { connection: 'src', table: 'events' },
          { connection: 'dst', table: '{table}_copy' },
        );
        const record: StepRecord = { events: [] };
        const saved: CopyCheckpoint[] = [];
        const ctx = stepContext(registry, plan, record, async () => {
          if (record.checkpoint)
            saved.push(record.checkpoint as CopyCheckpoint);
        });
        await provisionStep.run(ctx);
        record.checkpoint = undefined;
        saved.length = 0;
        await copyStep.run(ctx);
        // The first range ends at its 100,000th key; the second holds the last row.
        expect(
          saved
            .filter((c, i) => i === 0 || c !== saved[i - 1])
            .map(c => [c.lastKey, c.done, Boolean(c.isComplete)]),
        ).toEqual([
          [[STREAMED_RANGE_ROWS], STREAMED_RANGE_ROWS, false],
          [[rows], rows, false],
          [[rows], rows, true],
        ]);

        // A crash after the second range committed, before its checkpoint.
        record.checkpoint = {
          lastKey: [STREAMED_RANGE_ROWS],
          done: STREAMED_RANGE_ROWS,
          total: rows,
        } satisfies CopyCheckpoint;
        await copyStep.run(ctx);
        const dst = registry.get('dst');
        const counted = allRows(
          await dst.raw(
            'SELECT count(*) AS n, count(DISTINCT id) AS ids, max(id) AS top FROM events_copy',
          ),
        )[0];
        expect(counted).toEqual({
          n: String(rows),
          ids: String(rows),
          top: rows,
        });
        const [last] = allRows(
          await dst.raw('SELECT note FROM events_copy WHERE id = ?', [rows]),
        );
        expect(last.note).toBe(`n\t${rows}\n\\`);
        expect(
          record.events
            .map(e => e.message)
            .filter(m => m.startsWith('Removed')),
        ).toEqual([
          'Removed 1 target rows written after the last checkpoint; copying them again',
        ]);
      } finally {
        await registry.destroy();
      }
    },
  );

  itOnMariaDb(
    'a range the target refuses mid-stream commits nothing and leaves both pools usable',
    async () => {
      const registry = await registryOf();
      try {
        await seedKeys(registry, 20_000);
        const plan = await planMove(
          registry,
          { connection: 'src', table: 'events' },
          { connection: 'dst', table: '{table}_copy' },
        );
        const ctx = stepContext(registry, plan, { events: [] });
        await provisionStep.run(ctx);
        const dst = registry.get('dst');
        // Well into the stream: COPY has taken thousands of rows when it fails.
        await dst.raw(
          'ALTER TABLE events_copy ADD CONSTRAINT refuse_one CHECK (id <> 15000)',
        );
        await expect(copyStep.run(ctx)).rejects.toThrow(/refuse_one/);
        const count = async () =>
          Number(
            allRows(await dst.raw('SELECT count(*) AS n FROM events_copy'))[0]
              .n,
          );
        expect(await count()).toBe(0);

        await dst.raw('ALTER TABLE events_copy DROP CONSTRAINT refuse_one');
        await copyStep.run(ctx);
        expect(await count()).toBe(20_000);
        // Pools beyond their failed connections still answer.
        expect(
          allRows(await registry.get('src').raw('SELECT 1 AS one'))[0].one,
        ).toBe(1);
      } finally {
        await registry.destroy();
      }
    },
  );
});
