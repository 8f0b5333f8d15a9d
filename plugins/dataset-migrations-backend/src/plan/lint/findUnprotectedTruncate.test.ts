import type { TableSchema } from '@internal/backstage-plugin-dataset-migrations-common';
import { findUnprotectedTruncate } from './findUnprotectedTruncate';

const table = (engine: TableSchema['engine']): TableSchema => ({
  connection: 'shop',
  engine,
  schema: 'shop',
  table: 'auditLog',
  columns: [
    { name: 'at', type: 'datetime', isNullable: false, defaultValue: null },
  ],
  primaryKey: [],
  indexes: [],
  rowEstimate: 10,
});

describe('findUnprotectedTruncate', () => {
  it('warns for a MySQL/MariaDB source without a key, which no guard can protect', () => {
    expect(findUnprotectedTruncate(table('mysql'), [])).toEqual({
      code: 'unprotected-truncate',
      severity: 'warning',
      message: expect.stringMatching(
        /^auditLog is frozen while it moves .* cannot refuse a TRUNCATE of it/,
      ),
    });
  });

  it('is silent where the freeze covers TRUNCATE or a guard does', () => {
    expect(findUnprotectedTruncate(table('mysql'), ['at'])).toBeUndefined();
    expect(findUnprotectedTruncate(table('postgres'), [])).toBeUndefined();
    expect(findUnprotectedTruncate(table('sqlite'), [])).toBeUndefined();
  });
});
