import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type { ConnectionConfig } from '../../config/DatasetMigrationsConfig';
import { ConnectionRegistry } from '../../connections/ConnectionRegistry';
import { allRows } from '../../connections/rawRows';
import { engineConnection } from '../../__testUtils__/engineConnections';
import { planFor } from '../../__testUtils__/planFor';
import { rule } from '../../__testUtils__/rule';
import { StepRecord, stepContext } from '../../__testUtils__/stepContext';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { copyStep } from './copyStep';
import { provisionStep } from './provisionStep';
import { PermanentStepError } from './Step';
import { verifyStep } from './verifyStep';

jest.setTimeout(120_000);

const ROWS = 5_000;

describe('verify step', () => {
  const databases = createTestDatabases();

  async function moved(sourceId: TestDatabaseId, targetId: TestDatabaseId) {
    const registry = new ConnectionRegistry(
      new Map<string, ConnectionConfig>([
        ['src', await engineConnection(databases, sourceId, 'src')],
        ['dst', await engineConnection(databases, targetId, 'dst')],
      ]),
    );
    const knex = registry.get('src');
    await knex.schema.createTable('meterReadings', t => {
      t.bigInteger('readingId').primary();
      t.string('meterName', 40).notNullable();
      t.integer('kwh');
    });
    const rows = Array.from({ length: ROWS }, (_, i) => ({
      readingId: i + 1,
      meterName: `meter-${i % 13}`,
      kwh: i % 7 ? i : null,
    }));
    for (let i = 0; i < rows.length; i += 500)
      await knex('meterReadings').insert(rows.slice(i, i + 500));
    const plan = await planFor(
      registry,
      { connection: 'src', table: 'meterReadings' },
      [
        rule({
          name: 'move',
          renameColumns: 'snake_case',
          target: { connection: 'dst', table: 'meter_readings' },
          // A literal `?` in generated SQL must never be taken for a binding.
          computed: [
            {
              name: 'question',
              type: 'varchar(40)',
              expression: `'why?' || {meterName}`,
            },
          ],
        }),
      ],
    );
    const record: StepRecord = { events: [] };
    const ctx = stepContext(registry, plan, record);
    await provisionStep.run(ctx);
    await copyStep.run(ctx);
    // Provision reports too (change capture started); the tests read verify's events.
    record.events.length = 0;
    return { registry, ctx, record };
  }

  // SQLite and PostgreSQL sources: both concatenate with ||, which the rule uses.
  it.each<[TestDatabaseId, TestDatabaseId]>([
    ['SQLITE_3', 'SQLITE_3'],
    ['POSTGRES_15', 'POSTGRES_15'],
    ['POSTGRES_15', 'MYSQL_8'],
  ])(
    '%s -> %s: passes on a faithful copy, then names exactly the tampered keys',
    async (sourceId, targetId) => {
      const { registry, ctx, record } = await moved(sourceId, targetId);
      try {
        const dst = registry.get('dst');
        const copied = allRows(
          await dst.raw(
            `SELECT question FROM meter_readings WHERE reading_id = 14`,
          ),
        );
        expect(copied[0].question).toBe('why?meter-0');

        await verifyStep.run(ctx);
        expect(record.events.map(e => e.message)).toEqual([
          'Source and target agree: row count and every column checksum',
        ]);

        // One changed value, one lost row, one NULL where a value was.
        await dst('meter_readings')
          .where({ reading_id: 1234 })
          .update({ kwh: 1 });
        await dst('meter_readings').where({ reading_id: 4321 }).delete();
        await dst('meter_readings')
          .where({ reading_id: 2500 })
          .update({ meter_name: 'meter-x' });
        record.events = [];
        const failure = await verifyStep.run(ctx).catch(e => e);
        expect(failure).toBeInstanceOf(PermanentStepError);
        expect(failure.message).toMatch(
          /first differing keys: \["?1234"?\], \["?2500"?\], \["?4321"?\]$/,
        );
        // node-pg reads bigint keys as text, SQLite as numbers.
        const keys = record.events[0].data?.firstDifferingKeys as unknown[][];
        expect(keys.map(k => k.map(Number))).toEqual([[1234], [2500], [4321]]);
      } finally {
        await registry.destroy();
      }
    },
  );
});
