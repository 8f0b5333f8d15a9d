import { testConnections } from '../__testUtils__/testConnections';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { mysqlDialect } from './mysql';
import { postgresDialect } from './postgres';
import { sqliteDialect } from './sqlite';

jest.setTimeout(60_000);

const DIALECTS = {
  SQLITE_3: sqliteDialect,
  POSTGRES_15: postgresDialect,
  MYSQL_8: mysqlDialect,
} as const;

describe('runStatements', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    '%p: runs statements in order and, in a transaction, an error undoes them all',
    async id => {
      const dialect = DIALECTS[id as keyof typeof DIALECTS];
      const db = await testConnections(databases, id, ['source']);
      const knex = db.knex();
      try {
        const table = dialect.quote('ledger');
        await dialect.runStatements(knex, [
          `CREATE TABLE ${table} (id integer PRIMARY KEY, note varchar(20))`,
          `INSERT INTO ${table} (id, note) VALUES (1, 'a;b')`,
          `INSERT INTO ${table} (id, note) VALUES (2, 'c')`,
        ]);
        const failing = knex.transaction(trx =>
          dialect.runStatements(trx, [
            `INSERT INTO ${table} (id, note) VALUES (3, 'd')`,
            `INSERT INTO ${table} (id, note) VALUES (1, 'duplicate')`,
            `INSERT INTO ${table} (id, note) VALUES (4, 'e')`,
          ]),
        );
        await expect(failing).rejects.toThrow();
        const rows = await knex('ledger').select('id', 'note').orderBy('id');
        expect(rows).toEqual([
          { id: 1, note: 'a;b' },
          { id: 2, note: 'c' },
        ]);
      } finally {
        await db.destroy();
      }
    },
  );
});
