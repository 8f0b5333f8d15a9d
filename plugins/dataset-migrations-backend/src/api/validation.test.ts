import { InputError } from '@backstage/errors';
import {
  listQuerySchema,
  migrationRequestSchema,
  parseInput,
  planRequestSchema,
} from './validation';

describe('request validation', () => {
  it('refuses control characters in text that reaches a query, naming the field', () => {
    // A NUL byte made PostgreSQL fail the stats query with a 500 (found by the fuzz test).
    expect(() =>
      parseInput(listQuerySchema, { owner: '\u0000' }, 'query'),
    ).toThrow(
      new InputError('Invalid query: owner must not hold control characters'),
    );
    expect(() =>
      parseInput(planRequestSchema, { entityRef: 'resource:default/a\nb' }),
    ).toThrow(/entityRef must not hold control characters/);
    expect(() =>
      parseInput(listQuerySchema, { cursor: 'x'.repeat(1001) }, 'query'),
    ).toThrow(/cursor must be at most 1000 characters/);
  });

  it('accepts what people send', () => {
    expect(
      parseInput(listQuerySchema, {
        owner: 'group:default/data-platform',
        entityRef: 'resource:default/orders',
        limit: '5',
      }),
    ).toEqual({
      owner: 'group:default/data-platform',
      entityRef: 'resource:default/orders',
      limit: 5,
    });
    expect(() =>
      parseInput(migrationRequestSchema, {
        entityRef: 'resource:default/orders',
        planHash: 'f'.repeat(64),
      }),
    ).not.toThrow();
  });
});
