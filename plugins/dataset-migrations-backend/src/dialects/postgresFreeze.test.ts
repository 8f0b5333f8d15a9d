/* eslint-disable jest/no-standalone-expect -- tests run through `itOnPostgres`, which
   is `it` whenever PostgreSQL is available (always under CI=true). */
import { testConnections } from '../__testUtils__/testConnections';
import { createTestDatabases, itOn } from '../__testUtils__/testDatabases';
import { postgresDialect } from './postgres';

jest.setTimeout(60_000);

const TABLES = 12;

describe('the PostgreSQL freeze', () => {
  const databases = createTestDatabases();
  const itOnPostgres = itOn(databases, 'POSTGRES_15');

  itOnPostgres(
    'lets concurrent migrations freeze and unfreeze tables of one schema at once, sharing one function',
    async () => {
      const db = await testConnections(databases, 'POSTGRES_15', ['source']);
      const knex = db.knex();
      try {
        await knex.raw('CREATE SCHEMA shop');
        const names = Array.from({ length: TABLES }, (_, i) => ({
          schema: 'shop',
          table: `t${i}`,
        }));
        for (const name of names) {
          await knex.raw(`CREATE TABLE shop.?? (id integer PRIMARY KEY)`, [
            name.table,
          ]);
        }
        // Each freeze in a transaction of its own, all at once, as workers of several
        // instances run their cutovers; half of the tables are then unfrozen while the
        // other half freeze again under another kind, the way a cutover follows a pause.
        const inTransaction = (statements: string[]) =>
          knex.transaction(async trx => {
            for (const sql of statements) await trx.raw(sql);
          });
        await Promise.all(
          names.map(name =>
            inTransaction(postgresDialect.freezeTable(name, 'paused', 'pause')),
          ),
        );
        await Promise.all(
          names.map((name, i) =>
            inTransaction(
              i % 2
                ? postgresDialect.unfreezeTable(name, 'pause')
                : [
                    ...postgresDialect.freezeTable(name, 'moved', 'moved'),
                    ...postgresDialect.unfreezeTable(name, 'pause'),
                  ],
            ),
          ),
        );

        for (const [i, name] of names.entries()) {
          const insert = knex(`shop.${name.table}`).insert({ id: 1 });
          if (i % 2) await insert;
          else await expect(insert).rejects.toThrow(/moved/);
        }
        const functions = await knex.raw(
          `SELECT count(*) AS n FROM pg_proc p JOIN pg_namespace s ON s.oid = p.pronamespace
           WHERE s.nspname = 'shop' AND p.proname = 'dm_refuse_writes'`,
        );
        expect(Number(functions.rows[0].n)).toBe(1);

        // Once the last freeze goes, so does the function.
        await Promise.all(
          names.map((name, i) =>
            i % 2
              ? Promise.resolve()
              : inTransaction(postgresDialect.unfreezeTable(name, 'moved')),
          ),
        );
        const left = await knex.raw(
          `SELECT to_regprocedure('shop.dm_refuse_writes()') AS fn`,
        );
        expect(left.rows[0].fn).toBeNull();
      } finally {
        await db.destroy();
      }
    },
  );
});
