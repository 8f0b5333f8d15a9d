import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { planFor } from '../../__testUtils__/planFor';
import { rule } from '../../__testUtils__/rule';
import { testConnections } from '../../__testUtils__/testConnections';
import { createTestDatabases } from '../../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const SECRET = 'S3cret-Row-Value';

describe('runPreflight', () => {
  const databases = createTestDatabases();

  // SQLite stores any text in an integer column, so its preflight passes.
  describe.each(
    databases.eachSupportedId().filter(([id]) => id !== 'SQLITE_3') as Array<
      [TestDatabaseId]
    >,
  )('on %p', id => {
    it('reports a failing artifact without the row values the driver quoted', async () => {
      const connections = await testConnections(databases, id, ['source']);
      try {
        const knex = connections.knex();
        await knex.raw(
          'CREATE TABLE leak_codes (id integer PRIMARY KEY, code varchar(40) NOT NULL)',
        );
        await knex('leak_codes').insert([
          { id: 1, code: SECRET },
          { id: 2, code: `${SECRET}-2` },
        ]);
        const plan = await planFor(
          connections.registry,
          { connection: 'source', table: 'leak_codes' },
          [
            rule({ name: 'moves', target: { table: 'leak_codes_v2' } }),
            rule({
              name: 'codes are numbers',
              match: { column: 'code' },
              cast: 'integer',
              allowDestructive: true,
            }),
          ],
        );
        expect(plan.preflight).toMatchObject({ status: 'failed' });
        expect(JSON.stringify(plan.preflight)).not.toContain(SECRET);
        expect(plan.preflight?.error).toMatch(
          /^The generated \w+ SQL failed: .*(integer|INTEGER)/,
        );
      } finally {
        await connections.destroy();
      }
    });
  });
});
