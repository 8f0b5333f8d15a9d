import type {
  Engine,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { dialectForEngine } from '../../dialects';
import { planConstraints, withTableConstraints } from './constraintsDdl';

const source = (engine: Engine): TableSchema => ({
  connection: 'source',
  engine,
  schema: engine === 'sqlite' ? undefined : 'app',
  table: 'stockItems',
  columns: ['id', 'parentId', 'region', 'code', 'price', 'status', 'note'].map(
    name => ({
      name,
      type: ['status', 'note'].includes(name) ? 'text' : 'integer',
      isNullable: true,
      defaultValue: null,
    }),
  ),
  primaryKey: ['id'],
  indexes: [
    { name: 'sku_key', columns: ['code'], isUnique: true, isConstraint: true },
  ],
  rowEstimate: 0,
  foreignKeys: [
    {
      name: 'self_fk',
      columns: ['parentId'],
      references: {
        schema: engine === 'sqlite' ? undefined : 'app',
        table: 'stockItems',
        columns: ['id'],
      },
      onDelete: 'SET NULL',
      onUpdate: 'NO ACTION',
    },
    {
      name: 'region_fk',
      columns: ['region', 'code'],
      references: {
        schema: engine === 'sqlite' ? undefined : 'app',
        table: 'regions',
        columns: ['region', 'code'],
      },
      onDelete: 'CASCADE',
      onUpdate: 'NO ACTION',
    },
  ],
  checks: [],
});

const plan = (
  from: Engine,
  to: Engine,
  checks: string[],
  options: { isSameDatabase?: boolean; castNote?: boolean } = {},
) => {
  const sd = dialectForEngine(from);
  const td = dialectForEngine(to);
  const table = {
    ...source(from),
    checks: checks.map((expression, i) => ({
      name: `stockItems_c${i}_check`,
      expression,
    })),
  };
  return planConstraints({
    source: table,
    sourceDialect: sd,
    targetDialect: td,
    target: {
      schema: to === 'sqlite' ? undefined : 'app',
      table: 'stock_items',
    },
    isSameDatabase: options.isSameDatabase ?? from === to,
    columns: table.columns.map(c => ({
      source: c.name,
      sourceExpression:
        options.castNote && c.name === 'note'
          ? `CAST(${sd.quote(c.name)} AS varchar(10))`
          : sd.quote(c.name),
      target: c.name.replace(/[A-Z]/g, m => `_${m.toLowerCase()}`),
      targetType: td.renderType({
        kind: c.type === 'text' ? 'text' : 'integer',
      }),
    })),
  });
};

describe('planConstraints', () => {
  it('same engine: checks as written with columns renamed, UNIQUE in the table, foreign keys after the copy', () => {
    const p = plan('postgres', 'postgres', [
      `("parentId" > 0) AND (length(status) < 10) AND ((status)::text <> 'parentId'::text)`,
    ]);
    expect(p.findings).toEqual([]);
    expect(p.tableConstraints).toEqual([
      `CONSTRAINT "stock_items_code_key" UNIQUE ("code")`,
      `CONSTRAINT "stock_items_c0_check" CHECK (("parent_id" > 0) AND (length("status") < 10) AND (("status")::text <> 'parentId'::text))`,
    ]);
    expect(p.afterCopy).toEqual([
      `ALTER TABLE "app"."stock_items" ADD CONSTRAINT "stock_items_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "app"."stock_items" ("id") ON DELETE SET NULL ON UPDATE NO ACTION NOT VALID`,
      `ALTER TABLE "app"."stock_items" VALIDATE CONSTRAINT "stock_items_parent_id_fkey"`,
      `ALTER TABLE "app"."stock_items" ADD CONSTRAINT "stock_items_region_code_fkey" FOREIGN KEY ("region", "code") REFERENCES "app"."regions" ("region", "code") ON DELETE CASCADE ON UPDATE NO ACTION NOT VALID`,
      `ALTER TABLE "app"."stock_items" VALIDATE CONSTRAINT "stock_items_region_code_fkey"`,
    ]);
    expect(p.names.map(n => [n.name, n.namespace])).toEqual([
      ['stock_items_code_key', 'relation'],
    ]);
  });

  it('keeps a deferrable foreign key deferrable where the engine can, and says so where it cannot', () => {
    const deferrable = (to: Engine) => {
      const sd = dialectForEngine('postgres');
      const td = dialectForEngine(to);
      const table = source('postgres');
      return planConstraints({
        source: {
          ...table,
          foreignKeys: [{ ...table.foreignKeys![0], deferrable: 'deferred' }],
        },
        sourceDialect: sd,
        targetDialect: td,
        target: {
          schema: to === 'sqlite' ? undefined : 'app',
          table: 'stock_items',
        },
        isSameDatabase: to === 'postgres',
        columns: table.columns.map(c => ({
          source: c.name,
          sourceExpression: sd.quote(c.name),
          target: c.name,
          targetType: td.renderType({
            kind: c.type === 'text' ? 'text' : 'integer',
          }),
        })),
      });
    };
    expect(deferrable('postgres').afterCopy[0]).toContain(
      'ON DELETE SET NULL ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED NOT VALID',
    );
    expect(deferrable('postgres').findings).toEqual([]);
    const maria = deferrable('mysql');
    expect(maria.findings.map(f => f.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /self_fk of stockItems is deferrable .* checked at each statement/,
        ),
      ]),
    );
  });

  it('a check over a transformed column is not carried, and says why', () => {
    const p = plan('postgres', 'postgres', [`(note <> ''::text)`], {
      castNote: true,
    });
    expect(p.tableConstraints).toHaveLength(1);
    expect(p.findings).toEqual([
      expect.objectContaining({
        code: 'constraint-not-carried',
        severity: 'warning',
        message: expect.stringMatching(
          /^CHECK constraint stockItems_c0_check of app\.stockItems .*column note is transformed/,
        ),
      }),
    ]);
  });

  it('across engines: translates simple comparisons, keeps the self-reference, and warns about the rest', () => {
    const p = plan('postgres', 'mysql', [
      `(price > (0)::numeric)`,
      `((code >= 1) AND (code <= 9)) OR (code IS NULL)`,
      `((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))`,
      `(length(note) < 5)`,
    ]);
    expect(p.tableConstraints).toEqual([
      'CONSTRAINT `stock_items_c0_check` CHECK (`price` > 0)',
      'CONSTRAINT `stock_items_c1_check` CHECK (((`code` >= 1 AND `code` <= 9) OR `code` IS NULL))',
    ]);
    expect(p.afterCopy).toEqual([
      'ALTER TABLE `app`.`stock_items` ADD CONSTRAINT `stock_items_parent_id_fkey` FOREIGN KEY (`parent_id`) REFERENCES `app`.`stock_items` (`id`) ON DELETE SET NULL ON UPDATE NO ACTION',
    ]);
    expect(p.findings.map(f => f.message.split(':')[0])).toEqual([
      'CHECK constraint stockItems_c2_check of app.stockItems (((status)',
      'CHECK constraint stockItems_c3_check of app.stockItems ((length(note) < 5)) is not carried to stock_items',
      'Foreign key region_fk of app.stockItems (region, code) referencing app.regions (region, code) is not carried to stock_items',
    ]);
    expect(p.findings[2].message).toMatch(/no longer enforced by the database/);
    expect(p.names.map(n => n.namespace)).toEqual([
      'check',
      'check',
      'foreign-key',
    ]);
  });

  it('text IN lists cross between PostgreSQL and SQLite', () => {
    const p = plan('postgres', 'sqlite', [
      `((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))`,
    ]);
    expect(p.tableConstraints).toContain(
      `CONSTRAINT "stock_items_c0_check" CHECK ("status" IN ('a', 'b'))`,
    );
  });

  it('SQLite: a same-database parent is referenced from the CREATE TABLE, a self-reference is a finding', () => {
    const p = plan('sqlite', 'sqlite', []);
    expect(p.afterCopy).toEqual([]);
    expect(p.tableConstraints).toContain(
      `CONSTRAINT "stock_items_region_code_fkey" FOREIGN KEY ("region", "code") REFERENCES "regions" ("region", "code") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    expect(p.findings).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^Foreign key self_fk .*SQLite cannot add a foreign key/,
        ),
      }),
    ]);
  });

  it('MySQL: a foreign key over text columns is a finding (utf8mb4_bin against the parent collation)', () => {
    const table = source('mysql');
    table.foreignKeys = [
      {
        ...table.foreignKeys![1],
        columns: ['status'],
        references: { table: 'regions', columns: ['name'] },
      },
    ];
    const p = planConstraints({
      source: table,
      sourceDialect: dialectForEngine('mysql'),
      targetDialect: dialectForEngine('mysql'),
      target: { schema: 'app', table: 'stock_items' },
      isSameDatabase: true,
      columns: table.columns.map(c => ({
        source: c.name,
        sourceExpression: `\`${c.name}\``,
        target: c.name,
        targetType: c.type === 'text' ? 'longtext' : 'int',
      })),
    });
    expect(p.afterCopy).toEqual([]);
    expect(p.findings[0].message).toMatch(/collation utf8mb4_bin/);
  });

  it('keeps names bounded and unique within the plan', () => {
    const table = source('postgres');
    const long = 'x'.repeat(60);
    table.foreignKeys = [
      table.foreignKeys![0],
      { ...table.foreignKeys![0], name: 'again' },
    ];
    const p = planConstraints({
      source: table,
      sourceDialect: dialectForEngine('postgres'),
      targetDialect: dialectForEngine('postgres'),
      target: { schema: 'app', table: long },
      isSameDatabase: true,
      columns: table.columns.map(c => ({
        source: c.name,
        sourceExpression: `"${c.name}"`,
        target: c.name,
        targetType: 'integer',
      })),
    });
    const names = p.afterCopy
      .filter(s => s.includes('ADD CONSTRAINT'))
      .map(s => /ADD CONSTRAINT "([^"]+)"/.exec(s)![1]);
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(2);
    for (const n of names) expect(Buffer.byteLength(n)).toBeLessThanOrEqual(60);
  });
});

describe('withTableConstraints', () => {
  it('adds table constraints before the closing parenthesis and table options', () => {
    expect(
      withTableConstraints(
        'CREATE TABLE `t` (\n  `a` int\n) DEFAULT CHARSET=utf8mb4',
        ['CHECK (`a` > 0)'],
      ),
    ).toBe(
      'CREATE TABLE `t` (\n  `a` int,\n  CHECK (`a` > 0)\n) DEFAULT CHARSET=utf8mb4',
    );
  });
});
