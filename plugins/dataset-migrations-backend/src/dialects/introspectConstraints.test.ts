import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { testConnections } from '../__testUtils__/testConnections';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { sqliteChecks } from './sqliteConstraints';

jest.setTimeout(60_000);

/** Plain names, table-level foreign keys: DDL every engine reads alike (MySQL ignores inline REFERENCES). */
const PARENT = `CREATE TABLE fk_parent (region varchar(10) NOT NULL, code integer NOT NULL, PRIMARY KEY (region, code))`;
const ITEMS = `CREATE TABLE fk_items (
  id integer NOT NULL PRIMARY KEY,
  parent_id integer,
  region varchar(10),
  code integer,
  qty integer CHECK (qty >= 0),
  price numeric(10,2),
  sku varchar(20),
  email varchar(50),
  CONSTRAINT fk_items_sku_key UNIQUE (sku),
  CONSTRAINT fk_items_price_check CHECK (price > 0 AND price < 1000),
  CONSTRAINT fk_items_parent_fk FOREIGN KEY (parent_id) REFERENCES fk_items (id) ON DELETE SET NULL,
  CONSTRAINT fk_items_region_fk FOREIGN KEY (region, code) REFERENCES fk_parent (region, code) ON DELETE CASCADE
)`;

describe('introspect: the table own constraints', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'reads foreign keys (self-reference, composite), CHECKs and UNIQUE constraints on %p',
    async databaseId => {
      const db = await testConnections(databases, databaseId as TestDatabaseId);
      try {
        const { dialect } = db;
        const knex = db.knex('source');
        await knex.raw(PARENT);
        await knex.raw(ITEMS);
        await knex.raw(
          `CREATE UNIQUE INDEX fk_items_email_idx ON fk_items (email)`,
        );
        const table = await dialect.introspect(knex, 'source', {
          table: 'fk_items',
        });

        const keys = [...(table.foreignKeys ?? [])].sort((a, b) =>
          a.columns[0].localeCompare(b.columns[0]),
        );
        expect(keys).toHaveLength(2);
        expect(keys[0]).toMatchObject({
          columns: ['parent_id'],
          references: { table: 'fk_items', columns: ['id'] },
          onDelete: 'SET NULL',
        });
        expect(keys[1]).toMatchObject({
          columns: ['region', 'code'],
          references: { table: 'fk_parent', columns: ['region', 'code'] },
          onDelete: 'CASCADE',
        });
        // MariaDB reports an unspecified action as RESTRICT, the others as NO ACTION.
        expect(['NO ACTION', 'RESTRICT']).toContain(keys[0].onUpdate);
        // SQLite keeps no names of foreign keys: they are named by its numbering.
        expect(keys.map(k => k.name)).toEqual(
          {
            sqlite: ['fk_items_fk1', 'fk_items_fk0'],
            postgres: ['fk_items_parent_fk', 'fk_items_region_fk'],
            mysql: ['fk_items_parent_fk', 'fk_items_region_fk'],
          }[dialect.engine],
        );
        expect(keys[0].references.schema).toBe(table.schema);

        const checks = table.checks ?? [];
        expect(checks).toHaveLength(2);
        const price = checks.find(c => c.name === 'fk_items_price_check');
        expect(price?.expression).toMatch(/price.*>.*0.*AND.*price.*<.*1000/i);
        expect(checks.find(c => c !== price)?.expression).toMatch(/qty.*>=.*0/);

        const sku = table.indexes.find(i => i.columns.join() === 'sku');
        const email = table.indexes.find(i => i.columns.join() === 'email');
        expect(sku?.isUnique).toBe(true);
        expect(email?.isUnique).toBe(true);
        expect(email?.isConstraint).toBeFalsy();
        // MySQL/MariaDB make no difference: a unique index is the UNIQUE constraint.
        expect(Boolean(sku?.isConstraint)).toBe(dialect.engine !== 'mysql');
      } finally {
        await db.destroy();
      }
    },
  );
});

describe('sqliteChecks', () => {
  it('reads named and unnamed, table- and column-level checks, skipping quoted look-alikes', () => {
    expect(
      sqliteChecks(
        `CREATE TABLE "t" ("check" int CHECK ("check" > 0), b text DEFAULT 'CHECK (x)', -- check (y)
         CONSTRAINT "b ok" CHECK (length(b) IN (1, 2)))`,
        't',
      ),
    ).toEqual([
      { name: 't_check1', expression: '"check" > 0' },
      { name: 'b ok', expression: 'length(b) IN (1, 2)' },
    ]);
  });

  it('says a check it cannot read is there, with no condition, instead of dropping it', () => {
    expect(
      sqliteChecks(
        `CREATE TABLE t (a int CHECK (a > 0), b text DEFAULT 'x`,
        't',
      ),
    ).toEqual([{ name: 't_check', expression: '' }]);
  });
});
