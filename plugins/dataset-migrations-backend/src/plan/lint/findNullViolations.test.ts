import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { dialectFor } from '../../dialects';
import { findNullViolations } from './findNullViolations';

jest.setTimeout(60_000);

describe('findNullViolations', () => {
  const databases = createTestDatabases();

  it('turns a mapping that fails on some row into a blocking finding without the value (POSTGRES_15)', async () => {
    const knex = await databases.init('POSTGRES_15');
    await knex.raw('CREATE TABLE codes (id integer PRIMARY KEY, code text)');
    await knex('codes').insert([
      { id: 1, code: '12' },
      { id: 2, code: 'S3CRET-VALUE' },
    ]);
    const dialect = dialectFor('pg');
    const plan = {
      source: { schema: 'public', table: 'codes' },
      columns: [
        {
          source: 'code',
          target: 'code',
          isNullable: false,
          sourceExpression: `CAST(${dialect.quote('code')} AS integer)`,
        },
      ],
    } as unknown as Pick<Plan, 'source' | 'columns'>;
    const findings = await findNullViolations(knex, dialect, plan);
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'unreadable-data',
        severity: 'blocking',
      }),
    ]);
    expect(findings[0].message).toMatch(/fails on its data: .*22P02/);
    expect(findings[0].message).not.toContain('S3CRET');
  });

  it('counts what a plain read of a NOT NULL column cannot give, and only that (POSTGRES_15)', async () => {
    const knex = await databases.init('POSTGRES_15');
    await knex.raw(
      'CREATE TABLE notes (id integer PRIMARY KEY, code text NOT NULL, note text)',
    );
    await knex('notes').insert([
      { id: 1, code: '12', note: null },
      { id: 2, code: 'x', note: 'n' },
    ]);
    const dialect = dialectFor('pg');
    const column = (name: string, sourceExpression = dialect.quote(name)) => ({
      source: name,
      target: name,
      isNullable: false,
      sourceExpression,
    });
    const plan = (columns: unknown[]) =>
      ({
        source: {
          schema: 'public',
          table: 'notes',
          columns: [
            { name: 'id', isNullable: false },
            { name: 'code', isNullable: false },
            { name: 'note', isNullable: true },
          ],
        },
        columns,
      } as unknown as Pick<Plan, 'source' | 'columns'>);

    // A nullable column that holds NULL, into a NOT NULL one: found.
    expect(
      await findNullViolations(
        knex,
        dialect,
        plan([column('id'), column('note')]),
      ),
    ).toEqual([
      expect.objectContaining({ code: 'not-null-violation', column: 'note' }),
    ]);
    // NOT NULL columns read as they are: nothing to find.
    expect(
      await findNullViolations(
        knex,
        dialect,
        plan([column('id'), column('code')]),
      ),
    ).toEqual([]);
    // A NOT NULL column read through a cast that fails on a row is still read.
    expect(
      await findNullViolations(
        knex,
        dialect,
        plan([column('code', `CAST(${dialect.quote('code')} AS integer)`)]),
      ),
    ).toEqual([expect.objectContaining({ code: 'unreadable-data' })]);
  });
});
