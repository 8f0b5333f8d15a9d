import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { engineConnection } from '../__testUtils__/engineConnections';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { safeErrorMessage } from '../errors/safeErrorMessage';
import { ConnectionRegistry } from './ConnectionRegistry';

jest.setTimeout(60_000);

const SLEEP: Partial<Record<TestDatabaseId, string>> = {
  POSTGRES_15: 'SELECT pg_sleep(5)',
  MYSQL_8: 'SELECT SLEEP(5) AS slept',
};

describe('ConnectionRegistry', () => {
  const databases = createTestDatabases();

  describe.each(
    databases.eachSupportedId().filter(([id]) => id !== 'SQLITE_3') as Array<
      [TestDatabaseId]
    >,
  )('planning pools on %p', id => {
    it('stop a statement that runs past the planning statement timeout', async () => {
      const config = await engineConnection(databases, id, 'warehouse');
      const registry = new ConnectionRegistry(
        new Map([['warehouse', config]]),
        { planningStatementTimeoutMs: 1000 },
      );
      try {
        let caught: unknown;
        try {
          const result = await registry
            .forPlanning('warehouse')
            .raw(SLEEP[id]!);
          // MariaDB may end SLEEP early with 1 instead of failing the statement.
          caught = JSON.stringify(result).includes('"slept":1')
            ? new Error('interrupted')
            : undefined;
        } catch (e) {
          caught = e;
        }
        expect(caught).toBeDefined();
        expect(safeErrorMessage(caught)).toMatch(
          /statement timeout|max_statement_time|interrupted/i,
        );
        // The executor's pool has no such bound: long copies are its job.
        expect(registry.forPlanning('warehouse')).not.toBe(
          registry.get('warehouse'),
        );
      } finally {
        await registry.destroy();
      }
    });
  });

  it('plans SQLite on its one connection (no statement timeout there)', async () => {
    const registry = new ConnectionRegistry(
      new Map([
        [
          'w',
          {
            name: 'w',
            client: 'better-sqlite3',
            connection: { filename: ':memory:' },
          },
        ],
      ]),
      { planningStatementTimeoutMs: 1000 },
    );
    try {
      expect(registry.forPlanning('w')).toBe(registry.get('w'));
    } finally {
      await registry.destroy();
    }
  });
});
