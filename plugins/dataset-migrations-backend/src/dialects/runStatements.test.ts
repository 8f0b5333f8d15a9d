/* eslint-disable jest/no-standalone-expect -- the PostgreSQL-only test runs through `itOn`,
   which the jest plugin does not know as a test. */
import { onTestConnection } from '../__testUtils__/testConnections';
import { createTestDatabases, itOn } from '../__testUtils__/testDatabases';
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
      await onTestConnection(databases, id, async knex => {
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
      });
    },
  );
});

describe('runAtomically', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    '%p: runs statements as one transaction: an error undoes them all and leaves the pooled connections out of any transaction',
    async id => {
      const dialect = DIALECTS[id as keyof typeof DIALECTS];
      await onTestConnection(databases, id, async knex => {
        const table = dialect.quote('ledger');
        await knex.raw(
          `CREATE TABLE ${table} (id integer PRIMARY KEY, note varchar(20))`,
        );
        await dialect.runAtomically(knex, [
          `INSERT INTO ${table} (id, note) VALUES (1, 'a;b')`,
          `INSERT INTO ${table} (id, note) VALUES (2, 'c')`,
        ]);
        await expect(
          dialect.runAtomically(knex, [
            `INSERT INTO ${table} (id, note) VALUES (3, 'd')`,
            `INSERT INTO ${table} (id, note) VALUES (1, 'duplicate')`,
            `INSERT INTO ${table} (id, note) VALUES (4, 'e')`,
          ]),
        ).rejects.toThrow();
        // Each pooled connection takes a write of its own and keeps it: none is left
        // inside a transaction (aborted or open) by the failure.
        await Promise.all(
          [5, 6, 7].map(n =>
            knex.raw(`INSERT INTO ${table} (id, note) VALUES (${n}, 'f')`),
          ),
        );
        const rows = await knex('ledger').select('id').orderBy('id');
        expect(rows.map(r => Number(r.id))).toEqual([1, 2, 5, 6, 7]);
      });
    },
  );

  itOn(databases, 'POSTGRES_15')(
    'POSTGRES_15: a transaction-local setting holds for the later statements and ends with them',
    async () => {
      await onTestConnection(databases, 'POSTGRES_15', async knex => {
        await knex.raw(
          `CREATE TABLE "ledger" (id integer PRIMARY KEY, note text)`,
        );
        await postgresDialect.runAtomically(knex, [
          `SELECT set_config('lock_timeout', '1234ms', true)`,
          `INSERT INTO "ledger" (id, note) VALUES (1, current_setting('lock_timeout'))`,
        ]);
        const [row] = await knex('ledger').select('note');
        expect(row.note).toBe('1234ms');
        const after = await Promise.all(
          [1, 2].map(() =>
            knex.raw(`SELECT current_setting('lock_timeout') AS v`),
          ),
        );
        expect(after.map(r => r.rows[0].v)).not.toContain('1234ms');
      });
    },
  );
});
