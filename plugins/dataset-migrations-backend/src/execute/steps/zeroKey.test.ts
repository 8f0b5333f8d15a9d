import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type { ConnectionConfig } from '../../config/DatasetMigrationsConfig';
import { ConnectionRegistry } from '../../connections/ConnectionRegistry';
import { engineConnection } from '../../__testUtils__/engineConnections';
import { planMove } from '../../__testUtils__/planFor';
import { StepRecord, stepContext } from '../../__testUtils__/stepContext';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { copyStep } from './copyStep';
import { provisionStep } from './provisionStep';
import { verifyStep } from './verifyStep';

jest.setTimeout(120_000);

const SOURCES: TestDatabaseId[] = ['SQLITE_3', 'POSTGRES_15', 'MYSQL_8'];

/**
 * A key 0 in an auto-numbered column moving onto MySQL/MariaDB, whose AUTO_INCREMENT
 * takes an inserted 0 as "the next number" unless the session says otherwise: the row
 * must keep its 0 (before: the copy failed on a duplicate key, or renumbered the row).
 */
describe('a key 0 in an auto-numbered column', () => {
  const databases = createTestDatabases();

  it.each(SOURCES)('%s -> MYSQL_8 keeps the key 0', async sourceId => {
    const registry = new ConnectionRegistry(
      new Map<string, ConnectionConfig>([
        ['src', await engineConnection(databases, sourceId, 'src')],
        ['dst', await engineConnection(databases, 'MYSQL_8', 'dst')],
      ]),
    );
    try {
      const src = registry.get('src');
      await src.schema.createTable('counters', t => {
        t.increments('id');
        t.string('label', 20).notNullable();
      });
      const rows = [0, 1, 2, 3].map(id => ({ id, label: `row-${id}` }));
      await src.transaction(async trx => {
        // MySQL's own sessions need the mode to store a 0 at all.
        if (sourceId === 'MYSQL_8')
          await trx.raw(
            `SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'NO_AUTO_VALUE_ON_ZERO')`,
          );
        await trx('counters').insert(rows);
      });
      expect(
        (await src('counters').orderBy('id')).map(r => Number(r.id)),
      ).toEqual([0, 1, 2, 3]);

      const plan = await planMove(
        registry,
        { connection: 'src', table: 'counters' },
        { connection: 'dst', table: 'counters_moved' },
      );
      const ctx = stepContext(registry, plan, { events: [] } as StepRecord);
      await provisionStep.run(ctx);
      await copyStep.run(ctx);
      await verifyStep.run(ctx);

      const moved = await registry.get('dst')('counters_moved').orderBy('id');
      expect(moved.map(r => [Number(r.id), r.label])).toEqual(
        rows.map(r => [r.id, r.label]),
      );
    } finally {
      await registry.destroy();
    }
  });
});
