import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { allRows } from './rawRows';
import { testConnections } from '../__testUtils__/testConnections';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import type { Dialect } from './Dialect';

jest.setTimeout(60_000);

/** Text that a literal must carry through unchanged. */
const TEXTS = [
  `it's`,
  `back\\slash`,
  `\\'`,
  `'\\`,
  `\\\\ two`,
  `? $1 :after_0 ?? $$`,
  `tab\tnew\nline`,
  `ü 曲 ☃`,
  '',
];

async function readBack(knex: Knex | Knex.Transaction, d: Dialect) {
  const rows = allRows(
    await knex.raw(
      `SELECT ${TEXTS.map(
        (t, i) => `${d.literal(t)} AS ${d.quote(`v${i}`)}`,
      ).join(', ')}`,
    ),
  );
  return TEXTS.map((_t, i) => rows[0][`v${i}`]);
}

describe('string literals read back as the text they were made from', () => {
  const databases = createTestDatabases();

  it.each<TestDatabaseId>(['SQLITE_3', 'POSTGRES_15', 'MYSQL_8'])(
    '%s',
    async id => {
      const connections = await testConnections(databases, id);
      try {
        expect(await readBack(connections.knex(), connections.dialect)).toEqual(
          TEXTS,
        );
      } finally {
        await connections.destroy();
      }
    },
  );

  it('MYSQL_8: also in a session whose sql_mode has NO_BACKSLASH_ESCAPES', async () => {
    const connections = await testConnections(databases, 'MYSQL_8');
    try {
      // One transaction: the SET and the SELECT share a connection.
      const texts = await connections.knex().transaction(async trx => {
        await trx.raw(
          `SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')`,
        );
        return readBack(trx, connections.dialect);
      });
      expect(texts).toEqual(TEXTS);
    } finally {
      await connections.destroy();
    }
  });
});
