import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type { ConnectionConfig } from '../../config/DatasetMigrationsConfig';
import { ConnectionRegistry } from '../../connections/ConnectionRegistry';
import { engineConnection } from '../../__testUtils__/engineConnections';
import { copiedMove } from '../../__testUtils__/copiedMove';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { PermanentStepError } from './Step';
import { verifyStep } from './verifyStep';

jest.setTimeout(120_000);

const ROWS = 300;
const ENGINES: TestDatabaseId[] = ['SQLITE_3', 'POSTGRES_15', 'MYSQL_8'];
const PAIRS = ENGINES.flatMap(s => ENGINES.map(t => [s, t] as const));

const stamp = (i: number) =>
  `2024-01-${String((i % 28) + 1).padStart(2, '0')} ${String(i % 24).padStart(
    2,
    '0',
  )}:15:30`;

/**
 * Changes a per-column sum cannot see: values swapped between two rows (a number, a
 * text, a timestamp) and two numbers changed keeping their sum. Each value is bound to
 * its row's key, so verify sees them, on every engine pair, and names exactly those keys.
 */
describe('verify binds each value to its row', () => {
  const databases = createTestDatabases();

  it.each(PAIRS)(
    '%s -> %s: swapped values and sum-keeping changes are named by key',
    async (sourceId, targetId) => {
      const registry = new ConnectionRegistry(
        new Map<string, ConnectionConfig>([
          ['src', await engineConnection(databases, sourceId, 'src')],
          ['dst', await engineConnection(databases, targetId, 'dst')],
        ]),
      );
      try {
        const src = registry.get('src');
        await src.schema.createTable('ledger', t => {
          t.bigInteger('id').primary();
          t.integer('qty');
          t.string('label', 40);
          t.dateTime('placedAt', { useTz: false });
        });
        await src('ledger').insert(
          Array.from({ length: ROWS }, (_, i) => ({
            id: i + 1,
            qty: (i + 1) * 10,
            label: `label-${i + 1}`,
            placedAt: stamp(i + 1),
          })),
        );
        const { plan, ctx, record } = await copiedMove(registry, 'ledger', {
          connection: 'dst',
          table: 'ledger_moved',
        });
        await verifyStep.run(ctx);

        const dst = registry.get('dst');
        const swap = async (column: string, a: number, b: number) => {
          const [rowA] = await dst('ledger_moved').where({ id: a });
          const [rowB] = await dst('ledger_moved').where({ id: b });
          await dst('ledger_moved')
            .where({ id: a })
            .update({ [column]: rowB[column] });
          await dst('ledger_moved')
            .where({ id: b })
            .update({ [column]: rowA[column] });
        };
        await swap('qty', 11, 12);
        await swap('label', 21, 22);
        await swap(
          plan.columns.find(c => c.source === 'placedAt')!.target,
          31,
          32,
        );
        // 410 + 420 = 400 + 430.
        await dst('ledger_moved').where({ id: 41 }).update({ qty: 400 });
        await dst('ledger_moved').where({ id: 42 }).update({ qty: 430 });

        record.events = [];
        record.checkpoint = undefined;
        const failure = await verifyStep.run(ctx).catch(e => e);
        expect(failure).toBeInstanceOf(PermanentStepError);
        const keys = record.events[0].data?.firstDifferingKeys as unknown[][];
        expect(keys.map(k => k.map(Number))).toEqual([
          [11],
          [12],
          [21],
          [22],
          [31],
          [32],
          [41],
          [42],
        ]);
        // The rows' checksum cannot say which columns differ: the first keys' rows do
        // (bigint keys read as text on some engines).
        expect(failure.message).toMatch(
          /differing columns: \["?11"?\]: qty; \["?12"?\]: qty; \["?21"?\]: label\)/,
        );
      } finally {
        await registry.destroy();
      }
    },
  );

  // Without a key, values are bound to their whole row: a NULL in another column of
  // the row must not unbind them.
  it.each(PAIRS)(
    '%s -> %s: a table without a key finds values swapped between rows',
    async (sourceId, targetId) => {
      const registry = new ConnectionRegistry(
        new Map<string, ConnectionConfig>([
          ['src', await engineConnection(databases, sourceId, 'src')],
          ['dst', await engineConnection(databases, targetId, 'dst')],
        ]),
      );
      try {
        const src = registry.get('src');
        await src.schema.createTable('tally', t => {
          t.string('tag', 20);
          t.integer('qty');
          t.string('note', 20);
        });
        await src('tally').insert([
          { tag: 'a', qty: 1, note: null },
          { tag: 'b', qty: 2, note: null },
          { tag: 'c', qty: 3, note: 'x' },
        ]);
        const { ctx } = await copiedMove(registry, 'tally', {
          connection: 'dst',
          table: 'tally_moved',
        });
        await verifyStep.run(ctx);

        const dst = registry.get('dst');
        await dst('tally_moved').where({ tag: 'a' }).update({ qty: 2 });
        await dst('tally_moved').where({ tag: 'b' }).update({ qty: 1 });
        const failure = await verifyStep.run(ctx).catch(e => e);
        expect(failure).toBeInstanceOf(PermanentStepError);
        expect(failure.message).toMatch(/rows' checksum: /);
      } finally {
        await registry.destroy();
      }
    },
  );
  // One hash a row over all its values: their text must not run together. Each change
  // keeps every column's count and the row count, so only the rows' checksum sees it.
  it.each(PAIRS)(
    '%s -> %s: text moved between columns, a separator inside a value, NULL for empty text and swaps are named by key',
    async (sourceId, targetId) => {
      const registry = new ConnectionRegistry(
        new Map<string, ConnectionConfig>([
          ['src', await engineConnection(databases, sourceId, 'src')],
          ['dst', await engineConnection(databases, targetId, 'dst')],
        ]),
      );
      try {
        const src = registry.get('src');
        await src.schema.createTable('notes', t => {
          t.bigInteger('id').primary();
          t.string('head', 20);
          t.string('tail', 20);
          t.string('extra', 20).nullable();
          t.integer('qty');
          t.double('score');
        });
        const rows = Array.from({ length: 60 }, (_, i) => ({
          id: i + 1,
          head: `h${i + 1}`,
          tail: `t${i + 1}`,
          extra: i % 2 ? '' : null,
          qty: i + 1,
          score: (i + 1) * 1.5,
        }));
        Object.assign(rows[4], { head: 'ab', tail: '' });
        Object.assign(rows[5], { head: 'x|', tail: '' });
        await src('notes').insert(rows);
        const { ctx, record } = await copiedMove(registry, 'notes', {
          connection: 'dst',
          table: 'notes_moved',
        });
        await verifyStep.run(ctx);

        const dst = registry.get('dst');
        const set = (id: number, values: Record<string, unknown>) =>
          dst('notes_moved').where({ id }).update(values);
        // ('ab', '') as ('a', 'b'); ('x|', '') as ('x', '|').
        await set(5, { head: 'a', tail: 'b' });
        await set(6, { head: 'x', tail: '|' });
        // Row 7's NULL becomes '' and row 8's '' NULL: the count of extra stays.
        expect([rows[6].extra, rows[7].extra]).toEqual([null, '']);
        await set(7, { extra: '' });
        await set(8, { extra: null });
        // Values swapped between two rows, and between two columns of one row.
        await set(11, { qty: 12 });
        await set(12, { qty: 11 });
        await set(13, { head: 't13', tail: 'h13' });

        record.events = [];
        record.checkpoint = undefined;
        const failure = await verifyStep.run(ctx).catch(e => e);
        expect(failure).toBeInstanceOf(PermanentStepError);
        const keys = record.events[0].data?.firstDifferingKeys as unknown[][];
        expect(keys.map(k => k.map(Number))).toEqual([
          [5],
          [6],
          [7],
          [8],
          [11],
          [12],
          [13],
        ]);
        expect(failure.message).toMatch(
          /differing columns: \["?5"?\]: head, tail; \["?6"?\]: head, tail; \["?7"?\]: extra\)/,
        );
      } finally {
        await registry.destroy();
      }
    },
  );
  // Doubles are summed weighted by their key (their text differs between engines): a
  // swap between neighbouring keys, the only change, must still show.
  it.each(PAIRS)(
    '%s -> %s: doubles swapped between neighbouring keys are named by key',
    async (sourceId, targetId) => {
      const registry = new ConnectionRegistry(
        new Map<string, ConnectionConfig>([
          ['src', await engineConnection(databases, sourceId, 'src')],
          ['dst', await engineConnection(databases, targetId, 'dst')],
        ]),
      );
      try {
        const src = registry.get('src');
        await src.schema.createTable('readings', t => {
          t.integer('id').primary();
          t.double('score');
        });
        await src('readings').insert(
          // No key 0: MySQL takes 0 for "the next value" of an integer key copied
          // from SQLite's, which it makes AUTO_INCREMENT.
          Array.from({ length: 60 }, (_, i) => i - (i < 20 ? 20 : 19)).map(
            id => ({ id, score: id * 1.5 }),
          ),
        );
        const { ctx, record } = await copiedMove(registry, 'readings', {
          connection: 'dst',
          table: 'readings_moved',
        });
        await verifyStep.run(ctx);

        const dst = registry.get('dst');
        await dst('readings_moved').where({ id: 14 }).update({ score: 22.5 });
        await dst('readings_moved').where({ id: 15 }).update({ score: 21 });
        // Negative keys weigh alike on every engine too.
        await dst('readings_moved').where({ id: -3 }).update({ score: -6 });
        await dst('readings_moved').where({ id: -4 }).update({ score: -4.5 });

        record.events = [];
        record.checkpoint = undefined;
        const failure = await verifyStep.run(ctx).catch(e => e);
        expect(failure).toBeInstanceOf(PermanentStepError);
        const keys = record.events[0].data?.firstDifferingKeys as unknown[][];
        expect(keys.map(k => k.map(Number))).toEqual([[-4], [-3], [14], [15]]);
      } finally {
        await registry.destroy();
      }
    },
  );
});
