import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { testConnections } from '../__testUtils__/testConnections';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  SAFE_ERROR_MESSAGE_MAX_LENGTH,
  safeErrorMessage,
} from './safeErrorMessage';

jest.setTimeout(60_000);

const SECRET = 's3cret-Row-Value';

describe('safeErrorMessage', () => {
  it.each([
    [
      'PostgreSQL duplicate key with its DETAIL',
      'duplicate key value violates unique constraint "items_pkey"\nDETAIL: Key (id)=(s3cret-Row-Value) already exists.',
      ['unique constraint "items_pkey"'],
    ],
    [
      'PostgreSQL key values inline',
      'Key (id, name)=(1, s3cret-Row-Value) already exists',
      ['Key (id, name)=(…)'],
    ],
    [
      'PostgreSQL failing row',
      'new row for relation "items" violates check constraint "positive" Failing row contains (1, s3cret-Row-Value, (2,3)).',
      ['relation "items"', 'check constraint "positive"'],
    ],
    [
      'PostgreSQL invalid input',
      'invalid input syntax for type integer: "s3cret-Row-Value"',
      ['invalid input syntax for type integer'],
    ],
    [
      'MariaDB duplicate entry',
      "Duplicate entry 's3cret-Row-Value' for key 'PRIMARY'",
      ["for key 'PRIMARY'"],
    ],
    [
      'MariaDB incorrect value',
      "Incorrect integer value: 's3cret-Row-Value' for column `db`.`t`.`c` at row 1",
      ['for column `db`.`t`.`c`'],
    ],
    [
      'a connection string in a URL error',
      'Invalid URL: postgres://u:s3cret-Row-Value@db.example.com:5432/warehouse',
      ['Invalid URL: <connection string>'],
    ],
    [
      'libpq settings',
      'could not connect: host=db user=u password=s3cret-Row-Value dbname=w',
      ['password=…', 'dbname=w'],
    ],
    [
      'knex SQL prefix of a driver error',
      'select * from "t" where "id" = \'s3cret-Row-Value\' - syntax error',
      ['syntax error'],
    ],
  ])('keeps the kind and names but no value: %s', (_what, message, kept) => {
    const error = Object.assign(new Error(message), { code: '23505' });
    const safe = safeErrorMessage(error);
    expect(safe).not.toContain(SECRET);
    for (const text of kept) expect(safe).toContain(text);
    expect(safe).toContain('23505');
  });

  it('adds the driver code, constraint, table and column names', () => {
    const error = Object.assign(new Error('failed'), {
      code: '23502',
      table: 'items',
      column: 'name',
      detail: `Failing row contains (${SECRET}).`,
    });
    expect(safeErrorMessage(error)).toBe(
      'failed (code 23502, table items, column name)',
    );
  });

  it('caps the length', () => {
    const safe = safeErrorMessage(new Error('x'.repeat(10_000)));
    expect(safe.length).toBeLessThanOrEqual(SAFE_ERROR_MESSAGE_MAX_LENGTH);
  });

  it('accepts anything thrown', () => {
    expect(safeErrorMessage(undefined)).toBe('unknown error');
    expect(safeErrorMessage(`bad 'value'`)).toBe(`bad '…'`);
  });

  describe.each(createTestDatabases().eachSupportedId())(
    'real driver errors on %p',
    (id: TestDatabaseId) => {
      const databases = createTestDatabases();

      async function failures(knex: Knex): Promise<unknown[]> {
        const text = id === 'POSTGRES_15' ? 'text' : 'varchar(100)';
        await knex.raw(
          `CREATE TABLE leak_items (id ${text} PRIMARY KEY, n integer NOT NULL CHECK (n > 0))`,
        );
        await knex.raw(`INSERT INTO leak_items (id, n) VALUES (?, 1)`, [
          SECRET,
        ]);
        const caught: unknown[] = [];
        const attempt = async (run: () => Promise<unknown>) => {
          try {
            await run();
          } catch (e) {
            caught.push(e);
          }
        };
        // A duplicate key, bound and inlined (as keyset copies inline key literals).
        await attempt(() =>
          knex.raw(`INSERT INTO leak_items (id, n) VALUES (?, 2)`, [SECRET]),
        );
        await attempt(() =>
          knex.raw(`INSERT INTO leak_items (id, n) VALUES ('${SECRET}', 2)`),
        );
        await attempt(() => knex('leak_items').insert({ id: SECRET, n: 3 }));
        // A value the column's type refuses, and a failing CHECK with the row.
        await attempt(() =>
          knex.raw(`INSERT INTO leak_items (id, n) VALUES ('a', ?)`, [SECRET]),
        );
        await attempt(() =>
          knex.raw(`INSERT INTO leak_items (id, n) VALUES (?, -1)`, [
            `${SECRET}2`,
          ]),
        );
        return caught;
      }

      it('names the failure without the row value (registry pools)', async () => {
        const connections = await testConnections(databases, id, ['source']);
        try {
          const caught = await failures(connections.knex());
          expect(caught.length).toBeGreaterThanOrEqual(4);
          // The drivers' own texts (as knex hands them over) do carry the value.
          expect(
            caught.some(e => String((e as Error).message).includes(SECRET)),
          ).toBe(true);
          for (const error of caught) {
            const safe = safeErrorMessage(error);
            expect(safe).not.toContain(SECRET);
            expect(safe.length).toBeGreaterThan(5);
          }
          // The duplicate key still says which key and what happened.
          expect(safeErrorMessage(caught[0])).toMatch(
            /duplicate|unique|PRIMARY/i,
          );
        } finally {
          await connections.destroy();
        }
      });

      it('names the failure without the row value (any knex)', async () => {
        const knex = await databases.init(id);
        const caught = await failures(knex);
        expect(caught.length).toBeGreaterThanOrEqual(4);
        for (const error of caught) {
          expect(safeErrorMessage(error)).not.toContain(SECRET);
        }
      });
    },
  );
});
