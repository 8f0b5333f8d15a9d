import type { Engine } from '@internal/backstage-plugin-dataset-migrations-common';
import type { ConsumerRewriteInput } from '@internal/backstage-plugin-dataset-migrations-node';
import type { Knex } from 'knex';

/** The move the query shapes are rewritten for. */
export const ORDERS_RENAMES = [
  { from: 'custid', to: 'customer_id' },
  { from: 'amount', to: 'amount_total' },
];

export const ORDERS_COLUMNS = ['id', 'custid', 'amount', 'status', 'note'];

const ORDERS = [
  [1, 1, 12.5, 'paid', null],
  [2, 1, 30, 'paid', 'rush'],
  [3, 2, 8.25, 'open', null],
  [4, 3, 45.1, 'paid', 'orders table'],
  [5, 3, 8.25, 'open', null],
  [6, null, 19.99, 'void', ''],
  [7, 2, 30, 'paid', null],
  [8, 4, 22, 'open', 'gift'],
];

const CUSTOMERS = [
  [1, 'Ada', 'north'],
  [2, 'Bo', 'south'],
  [3, 'Cy', 'north'],
  [4, 'Di', null],
];

/**
 * The old table `orders`, the new table `sales_orders` (renamed, two columns renamed)
 * holding the same rows, and `customers` that queries join to.
 */
export async function seedOrders(knex: Knex) {
  const orders = (name: string, [custid, amount]: string[]) =>
    knex.schema.createTable(name, t => {
      t.integer('id').primary();
      t.integer(custid);
      t.decimal(amount, 10, 2);
      t.string('status', 20);
      t.string('note', 40);
    });
  await orders('orders', ['custid', 'amount']);
  await orders('sales_orders', ['customer_id', 'amount_total']);
  await knex.schema.createTable('customers', t => {
    t.integer('id').primary();
    t.string('name', 20);
    t.string('region', 20);
  });
  const rows = (columns: string[], values: unknown[][]) =>
    values.map(v => Object.fromEntries(columns.map((c, i) => [c, v[i]])));
  await knex('orders').insert(rows(ORDERS_COLUMNS, ORDERS));
  await knex('sales_orders').insert(
    rows(['id', 'customer_id', 'amount_total', 'status', 'note'], ORDERS),
  );
  await knex('customers').insert(rows(['id', 'name', 'region'], CUSTOMERS));
}

/** The schema consumers qualify the table with on each engine. */
export function datasetSchema(knex: Knex, engine: Engine): string {
  if (engine === 'sqlite') return 'main';
  if (engine === 'postgres') return 'public';
  return String(
    (knex.client.config.connection as { database: string }).database,
  );
}

/** The agent's input for a consumer file reading `orders`. */
export function ordersInput(
  text: string,
  engine: Engine,
  schema: string,
  overrides: Partial<ConsumerRewriteInput> = {},
): ConsumerRewriteInput {
  const inSchema = engine === 'sqlite' ? undefined : schema;
  return {
    text,
    engine,
    from: { schema: inSchema, table: 'orders' },
    to: { schema: inSchema, table: 'sales_orders' },
    columns: ORDERS_RENAMES,
    sourceColumns: ORDERS_COLUMNS,
    ...overrides,
  };
}
