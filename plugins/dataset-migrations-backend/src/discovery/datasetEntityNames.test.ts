import { makeValidator } from '@backstage/catalog-model';
import { datasetEntityNames } from './datasetEntityNames';

const { isValidEntityName } = makeValidator();

describe('datasetEntityNames', () => {
  it('names each table <connection>.<schema>.<table> in kebab case', () => {
    expect(
      datasetEntityNames('warehouse', [
        { table: 'customerAccounts' },
        { table: 'order_lines' },
      ]),
    ).toEqual(['warehouse.customer-accounts', 'warehouse.order-lines']);
    expect(
      datasetEntityNames('Main_DB', [{ schema: 'Sales EU', table: 'Leads' }]),
    ).toEqual(['main-db.sales-eu.leads']);
  });

  it('gives tables that map to one name a hash each, the same on every run', () => {
    const tables = [
      { schema: 'public', table: 'Orders' },
      { schema: 'public', table: 'orders' },
      { schema: 'public', table: 'items' },
    ];
    const names = datasetEntityNames('pg', tables);
    expect(names[2]).toBe('pg.public.items');
    expect(names[0]).toMatch(/^pg\.public\.orders-[0-9a-f]{8}$/);
    expect(names[1]).toMatch(/^pg\.public\.orders-[0-9a-f]{8}$/);
    expect(names[0]).not.toBe(names[1]);
    expect(datasetEntityNames('pg', [...tables].reverse())).toEqual(
      [...names].reverse(),
    );
  });

  it('shortens a long name to 63 characters with a hash', () => {
    const long = 'a'.repeat(40);
    const [one, two] = datasetEntityNames('warehouse', [
      { schema: long, table: `${long}_one` },
      { schema: long, table: `${long}_two` },
    ]);
    expect(one).toHaveLength(63);
    expect(one).toMatch(/^warehouse\.a+\.a+-[0-9a-f]{8}$/);
    expect(one).not.toBe(two);
  });

  it.each([
    ['a name of no letters or digits', '表'],
    ['separators at the cut', `${'a'.repeat(44)}_${'b'.repeat(20)}`],
    ['only separators', '__'],
    ['a leading digit and dashes', '2024--sales--'],
  ])('keeps the catalog rules for %s', (_what, table) => {
    for (const name of datasetEntityNames('warehouse', [
      { table },
      { schema: 'x-', table },
    ])) {
      expect(isValidEntityName(name)).toBe(true);
    }
  });
});
