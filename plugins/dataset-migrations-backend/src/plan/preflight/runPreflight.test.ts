import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { planFor } from '../../__testUtils__/planFor';
import { rule } from '../../__testUtils__/rule';
import { testConnections } from '../../__testUtils__/testConnections';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { SQL_AGENT_CANDIDATE, SqlAgent } from '../SqlAgent';
import { runPreflight } from './runPreflight';

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

  describe.each(databases.eachSupportedId())('on %p', id => {
    it('builds the indexes a plan leaves until after the copy, over the sample, and names them when they fail', async () => {
      const connections = await testConnections(databases, id, ['source']);
      try {
        const knex = connections.knex();
        await knex.raw(
          'CREATE TABLE shelf_items (id integer PRIMARY KEY, sku varchar(20) NOT NULL)',
        );
        await knex.raw('CREATE INDEX shelf_items_sku ON shelf_items (sku)');
        await knex('shelf_items').insert([
          { id: 1, sku: 'a-1' },
          { id: 2, sku: 'a-1' },
        ]);
        const plan = await planFor(
          connections.registry,
          { connection: 'source', table: 'shelf_items' },
          [rule({ name: 'moves', target: { table: 'shelf_items_v2' } })],
          undefined,
          new SqlAgent(SQL_AGENT_CANDIDATE),
        );
        expect(plan.preflight).toMatchObject({ status: 'passed' });
        // The same index made unique: the two copied rows share a sku.
        const unique = plan.artifacts.postCopyDdl!.map(sql =>
          sql.replace('CREATE INDEX', 'CREATE UNIQUE INDEX'),
        );
        const { preflight: _p, createdAt: _c, ...unproved } = plan;
        const result = await runPreflight({
          plan: {
            ...unproved,
            artifacts: { ...plan.artifacts, postCopyDdl: unique },
          },
          source: { knex, dialect: connections.dialect },
          target: { knex, dialect: connections.dialect },
          isSameConnection: true,
        });
        expect(result).toMatchObject({
          status: 'failed',
          failedArtifact: 'postCopyDdl',
        });
        // Nothing stays behind: not the table, not a scratch table.
        const relations = await connections.dialect.findRelations(knex, {
          schema: plan.target.schema,
          table: 'shelf_items_v2',
        });
        expect(relations).toEqual([]);
      } finally {
        await connections.destroy();
      }
    });
  });
});
