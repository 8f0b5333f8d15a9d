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
});
