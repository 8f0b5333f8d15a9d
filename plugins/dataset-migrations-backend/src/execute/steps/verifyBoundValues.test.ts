import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type { ConnectionConfig } from '../../config/DatasetMigrationsConfig';
import { ConnectionRegistry } from '../../connections/ConnectionRegistry';
import { engineConnection } from '../../__testUtils__/engineConnections';
import { planMove } from '../../__testUtils__/planFor';
import { StepRecord, stepContext } from '../../__testUtils__/stepContext';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { copyStep } from './copyStep';
import { provisionStep } from './provisionStep';
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
        const plan = await planMove(
          registry,
          { connection: 'src', table: 'ledger' },
          { connection: 'dst', table: 'ledger_moved' },
        );
        const record: StepRecord = { events: [] };
        const ctx = stepContext(registry, plan, record);
        await provisionStep.run(ctx);
        await copyStep.run(ctx);
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
        const plan = await planMove(
          registry,
          { connection: 'src', table: 'tally' },
          { connection: 'dst', table: 'tally_moved' },
        );
        const record: StepRecord = { events: [] };
        const ctx = stepContext(registry, plan, record);
        await provisionStep.run(ctx);
        await copyStep.run(ctx);
        await verifyStep.run(ctx);

        const dst = registry.get('dst');
        await dst('tally_moved').where({ tag: 'a' }).update({ qty: 2 });
        await dst('tally_moved').where({ tag: 'b' }).update({ qty: 1 });
        const failure = await verifyStep.run(ctx).catch(e => e);
        expect(failure).toBeInstanceOf(PermanentStepError);
        expect(failure.message).toMatch(/column qty: checksum/);
      } finally {
        await registry.destroy();
      }
    },
  );
});
