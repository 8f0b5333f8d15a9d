/* eslint-disable jest/no-standalone-expect -- the PostgreSQL-only test runs through `itOn`,
   which the jest plugin does not know as a test. */
import { onTestConnection } from '../__testUtils__/testConnections';
import { createTestDatabases, itOn } from '../__testUtils__/testDatabases';
import { tableExists } from './tableExists';

jest.setTimeout(60_000);

describe('tableExists', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    '%p: finds a table, not a name that is missing',
    async id => {
      await onTestConnection(databases, id, async (knex, db) => {
        const { engine } = db.dialect;
        await knex.raw('CREATE TABLE ledger (id integer PRIMARY KEY)');
        const found = async (table: string) => [
          table,
          await tableExists(knex, engine, undefined, table),
        ];
        expect(
          await Promise.all(['ledger', 'ledger__dm_backup'].map(found)),
        ).toEqual([
          ['ledger', true],
          ['ledger__dm_backup', false],
        ]);
      });
    },
  );

  itOn(databases, 'POSTGRES_15')(
    'POSTGRES_15: reads the schema and the name as given, whatever they hold, and counts what information_schema.tables counts',
    async () => {
      await onTestConnection(databases, 'POSTGRES_15', async (knex, db) => {
        const q = (name: string) => db.dialect.quote(name);
        const odd = `Odd name's Table`;
        await knex.raw(`CREATE SCHEMA ${q('Sales Q3')}`);
        await knex.raw(
          `CREATE TABLE ${q('Sales Q3')}.${q(odd)} (id integer PRIMARY KEY)`,
        );
        await knex.raw(
          `CREATE TABLE ${q(
            'Sales Q3',
          )}.parted (id integer) PARTITION BY RANGE (id)`,
        );
        await knex.raw(
          `CREATE INDEX ${q('an_index')} ON ${q('Sales Q3')}.${q(odd)} (id)`,
        );
        await knex.raw(`CREATE SEQUENCE ${q('Sales Q3')}.a_sequence`);
        await knex.raw('CREATE TABLE in_public (id integer)');
        await knex.raw('CREATE VIEW a_view AS SELECT id FROM in_public');
        const cases: Array<[string | undefined, string]> = [
          ['Sales Q3', odd],
          ['Sales Q3', odd.toLowerCase()],
          ['Sales Q3', 'parted'],
          ['Sales Q3', 'an_index'],
          ['Sales Q3', 'a_sequence'],
          ['sales q3', odd],
          ['Sales Q3', 'in_public'],
          [undefined, 'in_public'],
          [undefined, 'a_view'],
          ['public', 'in_public'],
          ['no such schema', 'in_public'],
        ];
        const answers = await Promise.all(
          cases.map(async ([schema, table]) => [
            schema,
            table,
            await tableExists(knex, 'postgres', schema, table),
          ]),
        );
        // information_schema.tables, which knex's hasTable reads, answers the same.
        const reference = await Promise.all(
          cases.map(async ([schema, table]) => [
            schema,
            table,
            schema
              ? await knex.schema.withSchema(schema).hasTable(table)
              : await knex.schema.hasTable(table),
          ]),
        );
        expect(answers).toEqual(reference);
        expect(answers.map(a => a[2])).toEqual([
          true,
          false,
          true,
          false,
          false,
          false,
          false,
          true,
          true,
          true,
          false,
        ]);
      });
    },
  );
});
