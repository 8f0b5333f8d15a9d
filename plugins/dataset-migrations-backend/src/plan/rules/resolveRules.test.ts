import { rule } from '../../__testUtils__/rule';
import type { TableSchema } from '@internal/backstage-plugin-dataset-migrations-common';
import { matchesGlob } from './glob';
import { renderTableTemplate, toSnakeCase } from './naming';
import { resolveRules } from './resolveRules';

const source: TableSchema = {
  connection: 'warehouse',
  engine: 'sqlite',
  table: 'salesOrders',
  columns: [
    { name: 'orderId', type: 'integer', isNullable: false, defaultValue: null },
    {
      name: 'totalAmount',
      type: 'decimal(12,2)',
      isNullable: false,
      defaultValue: null,
    },
    {
      name: 'statusCode',
      type: 'varchar(16)',
      isNullable: false,
      defaultValue: "'open'",
    },
    { name: 'notes', type: 'text', isNullable: true, defaultValue: null },
  ],
  primaryKey: ['orderId'],
  indexes: [],
  rowEstimate: 3,
};

describe('naming', () => {
  it.each([
    ['customerAccounts', 'customer_accounts'],
    ['HTTPStatusCode', 'http_status_code'],
    ['orderId2', 'order_id2'],
    ['already_snake', 'already_snake'],
    ['Bestellübersicht', 'bestellübersicht'],
  ])('snake-cases %s', (input, expected) => {
    expect(toSnakeCase(input)).toBe(expected);
  });

  it('renders table templates and refuses unknown placeholders', () => {
    expect(
      renderTableTemplate('{table:snake}', { table: 'salesOrders' }, 'r'),
    ).toBe('sales_orders');
    expect(
      renderTableTemplate('{schema}_{table}', { table: 't', schema: 's' }, 'r'),
    ).toBe('s_t');
    expect(() =>
      renderTableTemplate('{tabel}', { table: 't' }, 'bad rule'),
    ).toThrow(/Rule "bad rule" has a table template "\{tabel\}"/);
  });

  it('matches globs case-insensitively', () => {
    expect(matchesGlob('*Amount', 'totalAmount')).toBe(true);
    expect(matchesGlob('varchar*', 'VARCHAR(16)')).toBe(true);
    expect(matchesGlob('a?c', 'abc')).toBe(true);
    expect(matchesGlob('a.c', 'abc')).toBe(false);
    expect(matchesGlob(undefined, 'anything')).toBe(true);
    expect(matchesGlob('public', undefined)).toBe(false);
  });
});

describe('resolveRules', () => {
  it('applies built-in defaults when no rule matches: same place, snake_case table, names kept', () => {
    const decision = resolveRules(source, []);
    expect(decision.target).toEqual({
      connection: 'warehouse',
      schema: undefined,
      table: 'sales_orders',
      rule: 'default',
    });
    expect(decision.columns.map(c => c.targetName)).toEqual([
      'orderId',
      'totalAmount',
      'statusCode',
      'notes',
    ]);
  });

  it('takes the first matching rule per kind of action, admin rules before defaults', () => {
    const decision = resolveRules(source, [
      rule({
        name: 'other connection',
        match: { connection: 'lake' },
        renameColumns: 'keep',
        target: { table: 'nope' },
      }),
      rule({
        name: 'money',
        match: { column: '*Amount' },
        cast: 'numeric(14,2)',
        target: { table: 'ignored: column rule' },
      }),
      rule({
        name: 'status',
        match: { column: 'statusCode' },
        renameTo: 'state',
      }),
      rule({
        name: 'snake',
        match: { connection: 'warehouse' },
        renameColumns: 'snake_case',
        target: { table: 'dm_{table:snake}' },
      }),
      rule({
        name: 'later cast',
        match: { column: 'totalAmount' },
        cast: 'bigint',
      }),
    ]);
    expect(decision.target).toMatchObject({
      table: 'dm_sales_orders',
      rule: 'snake',
    });
    const byName = Object.fromEntries(
      decision.columns.map(c => [c.column.name, c]),
    );
    expect(byName.orderId.targetName).toBe('order_id');
    expect(byName.statusCode.targetName).toBe('state');
    expect(byName.totalAmount).toMatchObject({
      targetName: 'total_amount',
      cast: { type: 'numeric(14,2)', rule: 'money' },
      rules: ['snake', 'money'],
    });
  });

  it('records defaults and destructive drops with their rule', () => {
    const decision = resolveRules(source, [
      rule({
        name: 'no notes',
        match: { column: 'notes' },
        drop: true,
        allowDestructive: true,
      }),
      rule({ name: 'notes default', match: { column: 'notes' }, default: '' }),
    ]);
    const notes = decision.columns.find(c => c.column.name === 'notes')!;
    expect(notes.drop).toEqual({ rule: 'no notes', allowDestructive: true });
    expect(notes.default).toEqual({ value: '', rule: 'notes default' });
  });

  it('matches type selectors against the declared type', () => {
    const decision = resolveRules(source, [
      rule({ name: 'wide strings', match: { type: 'varchar*' }, cast: 'text' }),
    ]);
    expect(
      decision.columns.filter(c => c.cast).map(c => c.column.name),
    ).toEqual(['statusCode']);
  });

  it('takes computed columns from the first table rule that has them', () => {
    const decision = resolveRules(source, [
      rule({
        name: 'tax',
        match: { table: 'sales*' },
        computed: [
          {
            name: 'tax',
            type: 'decimal(12,2)',
            expression: '{totalAmount} * 0.25',
          },
        ],
      }),
    ]);
    expect(decision.computed).toEqual([
      {
        name: 'tax',
        type: 'decimal(12,2)',
        expression: '{totalAmount} * 0.25',
        rule: 'tax',
      },
    ]);
  });
});
