/* eslint-disable jest/no-standalone-expect -- the tests run through `itOn`, which is
   `it` whenever the engine is available (always under CI=true). */
import type { Knex } from 'knex';
import { createTestDatabases, itOn } from '../__testUtils__/testDatabases';
import { readCatalog } from './postgresCatalogBatch';

jest.setTimeout(60_000);

describe('readCatalog', () => {
  const databases = createTestDatabases();
  const itOnPostgres = itOn(databases, 'POSTGRES_15');
  // A quote, a backslash before it and a placeholder look-alike.
  const TABLE = `back\\slash'q?`;

  const lookups = (table: string) => [
    {
      sql: `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ? AND c.relname = ?`,
      bindings: ['public', table],
    },
    {
      sql: `SELECT a.attname AS name FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE c.relname = ? AND a.attnum > 0 ORDER BY a.attnum`,
      bindings: [table],
    },
    { sql: 'SELECT ?::text AS nothing', bindings: [null] },
  ];

  itOnPostgres.each([['on'], ['off']])(
    'reads each query’s rows in order, its values written as literals that hold with standard_conforming_strings %s, through a plain knex',
    async conforming => {
      const knex = await databases.init('POSTGRES_15');
      // `\\?`: a plain knex would make the `?` a placeholder.
      await knex.raw(
        `CREATE TABLE "${TABLE.replace('?', '\\?')}" (a integer, "b'" text)`,
      );
      const results = await knex.transaction(async trx => {
        await trx.raw(`SET LOCAL standard_conforming_strings = ${conforming}`);
        return readCatalog(trx as unknown as Knex, lookups(TABLE));
      });
      expect(results).toEqual([
        [{ name: TABLE }],
        [{ name: 'a' }, { name: "b'" }],
        [{ nothing: null }],
      ]);
    },
  );

  itOnPostgres(
    'refuses a query whose placeholders and values do not pair up, sending nothing',
    async () => {
      const knex = await databases.init('POSTGRES_15');
      await expect(
        readCatalog(knex, [{ sql: 'SELECT ? AS a, ? AS b', bindings: ['x'] }]),
      ).rejects.toThrow(/more placeholders than values/);
      await expect(
        readCatalog(knex, [{ sql: 'SELECT 1 AS a', bindings: ['x'] }]),
      ).rejects.toThrow(/fewer placeholders than values/);
    },
  );
});
