/* eslint-disable jest/no-standalone-expect -- the tests run through `itOn`, which is
   `it` whenever the engine is available (always under CI=true). */
import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type { Engine } from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { createTestDatabases, itOn } from '../../__testUtils__/testDatabases';
import {
  testConnections,
  type TestConnections,
} from '../../__testUtils__/testConnections';
import {
  datasetSchema,
  ORDERS_RENAMES,
  ordersInput,
  seedOrders,
} from './__fixtures__/ordersMove';
import { queryShapes, shapeSql } from './__fixtures__/queryShapes';
import { SqlConsumerAgent } from './SqlConsumerAgent';
import { splitStatements } from './splitStatements';
import { verifyParity } from './verifyParity';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const agent = new SqlConsumerAgent();

const ENGINES: Array<[TestDatabaseId, Engine]> = [
  ['SQLITE_3', 'sqlite'],
  ['POSTGRES_15', 'postgres'],
  ['MYSQL_8', 'mysql'],
];

const move = (schema: string | undefined) => ({
  from: { schema, table: 'orders' },
  to: { schema, table: 'sales_orders' },
  columns: ORDERS_RENAMES,
});

describe.each(ENGINES)('the SQL consumer agent on %s', (id, engine) => {
  let connections: TestConnections;
  let knex: Knex;
  let schema: string;

  beforeAll(async () => {
    if (!databases.supports(id) && process.env.CI !== 'true') return;
    connections = await testConnections(databases, id, ['consumer']);
    knex = connections.knex();
    await seedOrders(knex);
    schema = datasetSchema(knex, engine);
  });
  afterAll(() => connections?.destroy());

  const shapes = queryShapes.filter(
    s => !s.engines || s.engines.includes(engine),
  );

  describe.each(shapes.map(s => [s.name, s] as const))('%s', (_name, shape) => {
    itOn(databases, id)(`is ${shape.expect}`, async () => {
      const sql = shapeSql(shape, engine, schema);
      const result = await agent.rewrite(ordersInput(sql, engine, schema));
      expect(result.statements).toHaveLength(1);
      const [statement] = result.statements;
      if (shape.expect === 'unverifiable' || shape.expect === 'untouched') {
        expect(statement.outcome).toBe(shape.expect);
        if (shape.reason) expect(statement.reason).toMatch(shape.reason);
        expect(statement.rewritten).toBeNull();
        expect(result.text).toBe(sql);
        return;
      }
      expect(statement.reason).toBeNull();
      expect(statement.outcome).toBe('rewritten');
      expect(result.text.endsWith(statement.rewritten!)).toBe(true);
      for (const kept of shape.keeps ?? []) expect(result.text).toContain(kept);
      const checked = await verifyParity({
        statement,
        oldSide: knex,
        newSide: knex,
        engine,
        move: move(engine === 'sqlite' ? undefined : schema),
      });
      expect(`${checked.outcome}: ${checked.reason}`).toMatch(
        new RegExp(`^${shape.expect}: `),
      );
      if (checked.outcome === 'verified')
        expect(checked.parity!.oldRows).toBe(checked.parity!.newRows);
    });
  });

  itOn(databases, id)(
    'rewrites a whole file, leaving every byte outside the rewritten names as it was',
    async () => {
      const sqls = shapes.map(s => shapeSql(s, engine, schema));
      const text = `-- consumer queries over orders\n\n${sqls.join(
        ';\n\n/* next: orders */\n',
      )};\n`;
      const result = await agent.rewrite(ordersInput(text, engine, schema));
      expect(result.statements).toHaveLength(shapes.length);
      const spans = splitStatements(text, engine);
      let rebuilt = '';
      let cursor = 0;
      spans.forEach((span, i) => {
        const statement = result.statements[i];
        expect(statement.original).toBe(span.text);
        rebuilt +=
          text.slice(cursor, span.start) + (statement.rewritten ?? span.text);
        cursor = span.end;
      });
      expect(result.text).toBe(rebuilt + text.slice(cursor));
      expect(result.statements.map(s => s.line)).toEqual(
        spans.map(s => s.line),
      );
    },
  );

  itOn(databases, id)(
    'refuses a rewrite that changes the results',
    async () => {
      const sql = 'SELECT custid, amount FROM orders WHERE amount > 10';
      // A deliberately wrong mapping: the two renamed columns swapped.
      const wrong = await agent.rewrite(
        ordersInput(sql, engine, schema, {
          columns: [
            { from: 'custid', to: 'amount_total' },
            { from: 'amount', to: 'customer_id' },
          ],
        }),
      );
      expect(wrong.statements[0].outcome).toBe('rewritten');
      const checked = await verifyParity({
        statement: wrong.statements[0],
        oldSide: knex,
        newSide: knex,
        engine,
      });
      expect(checked.outcome).toBe('mismatch');
      expect(checked.rewritten).toBeNull();
      expect(checked.reason).toMatch(/rows|differs/);

      const update = await agent.rewrite(
        ordersInput(
          'UPDATE orders SET amount = 1 WHERE custid = 2',
          engine,
          schema,
          {
            columns: [
              { from: 'custid', to: 'id' },
              { from: 'amount', to: 'amount_total' },
            ],
          },
        ),
      );
      const write = await verifyParity({
        statement: update.statements[0],
        oldSide: knex,
        newSide: knex,
        engine,
        move: move(engine === 'sqlite' ? undefined : schema),
      });
      expect(write.outcome).toBe('mismatch');

      const missing = await agent.rewrite(
        ordersInput(sql, engine, schema, {
          columns: [{ from: 'custid', to: 'no_such_column' }],
        }),
      );
      const failed = await verifyParity({
        statement: missing.statements[0],
        oldSide: knex,
        newSide: knex,
        engine,
      });
      expect(failed.outcome).toBe('mismatch');
      expect(failed.reason).toMatch(/failed on the new side/);
    },
  );

  itOn(databases, id)(
    'leaves the data as it was after checking writes',
    async () => {
      const before = await knex('sales_orders').orderBy('id');
      const result = await agent.rewrite(
        ordersInput('DELETE FROM orders WHERE amount > 0', engine, schema),
      );
      const checked = await verifyParity({
        statement: result.statements[0],
        oldSide: knex,
        newSide: knex,
        engine,
        move: move(engine === 'sqlite' ? undefined : schema),
      });
      expect(checked.outcome).toBe('verified');
      expect(checked.parity).toMatchObject({ oldRows: 8, newRows: 8 });
      expect(await knex('sales_orders').orderBy('id')).toEqual(before);
      const [{ n }] = await knex('orders').count({ n: '*' });
      expect(Number(n)).toBe(8);
    },
  );

  itOn(databases, id)(
    'caps the comparison at the row limit and says so',
    async () => {
      const result = await agent.rewrite(
        ordersInput('SELECT custid, amount FROM orders', engine, schema),
      );
      const checked = await verifyParity({
        statement: result.statements[0],
        oldSide: knex,
        newSide: knex,
        engine,
        rowLimit: 3,
      });
      expect(checked.outcome).toBe('verified');
      expect(checked.reason).toMatch(
        /8 rows on both sides; compared the first 3/,
      );
      expect(checked.parity).toMatchObject({ oldRows: 8, newRows: 8 });
      expect(checked.parity!.sample).toHaveLength(3);
    },
  );

  itOn(databases, id)(
    "reports SELECT * as unverifiable when the table's columns are not known",
    async () => {
      const result = await agent.rewrite(
        ordersInput('SELECT * FROM orders', engine, schema, {
          sourceColumns: undefined,
        }),
      );
      expect(result.statements[0]).toMatchObject({
        outcome: 'unverifiable',
        line: 1,
        rewritten: null,
      });
      expect(result.statements[0].reason).toMatch(
        /line 1: `\*` would return the renamed columns under their new names \(custid → customer_id, amount → amount_total\)/,
      );
    },
  );
});
