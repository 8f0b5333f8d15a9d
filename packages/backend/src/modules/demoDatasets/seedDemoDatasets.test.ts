import Database from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedLakehouse, seedWarehouse } from './seedDemoDatasets';
import { LAKEHOUSE_TABLES } from './lakehouseTables';
import { WAREHOUSE_TABLES } from './warehouseTables';

function digest(file: string): Record<string, string> {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(
      WAREHOUSE_TABLES.map(t => {
        const hash = crypto.createHash('sha256');
        for (const row of db
          .prepare(`SELECT * FROM "${t.name}" ORDER BY rowid`)
          .iterate()) {
          hash.update(JSON.stringify(row));
        }
        return [t.name, hash.digest('hex')];
      }),
    );
  } finally {
    db.close();
  }
}

describe('demo datasets', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-demo-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates the warehouse with its tables, deterministically, and only once', () => {
    const a = seedWarehouse(path.join(dir, 'a', 'warehouse.sqlite'));
    const b = seedWarehouse(path.join(dir, 'b', 'warehouse.sqlite'));
    expect(a.created).toBe(true);
    expect(a.rows).toBe(WAREHOUSE_TABLES.reduce((n, t) => n + t.rows, 0));
    expect(fs.existsSync(`${a.file}.partial`)).toBe(false);

    const db = new Database(a.file, { readonly: true });
    const count = (t: string) =>
      (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n;
    expect(WAREHOUSE_TABLES.length).toBeGreaterThanOrEqual(6);
    expect(count('pageViewEvents')).toBeGreaterThanOrEqual(100_000);
    const pkless = db
      .prepare(
        `SELECT count(*) AS n FROM pragma_table_info('legacyAuditLog') WHERE pk > 0`,
      )
      .get() as { n: number };
    expect(pkless.n).toBe(0);
    const nullable = db
      .prepare(
        `SELECT count(*) AS n FROM "customerAccounts" WHERE "countryCode" IS NULL`,
      )
      .get() as { n: number };
    expect(nullable.n).toBeGreaterThan(0);
    db.close();

    expect(digest(a.file)).toEqual(digest(b.file));
    expect(seedWarehouse(a.file).created).toBe(false);
  });

  it('re-creates a missing file and ignores a stale partial one', () => {
    const file = path.join(dir, 'warehouse.sqlite');
    fs.writeFileSync(`${file}.partial`, 'garbage from a crashed seed');
    expect(seedWarehouse(file).created).toBe(true);
    fs.rmSync(file);
    expect(seedWarehouse(file).created).toBe(true);
  });

  it('creates the lakehouse with its own tables, once', () => {
    const file = path.join(dir, 'lakehouse.sqlite');
    const seeded = seedLakehouse(file);
    expect(seeded.created).toBe(true);
    expect(seeded.rows).toBe(LAKEHOUSE_TABLES.reduce((n, t) => n + t.rows, 0));
    expect(tablesOf(file)).toEqual(LAKEHOUSE_TABLES.map(t => t.name).sort());
    expect(seedLakehouse(file).created).toBe(false);
  });

  it('fills a lakehouse made empty before, and leaves one holding moved tables', () => {
    const empty = path.join(dir, 'empty.sqlite');
    new Database(empty).close();
    expect(seedLakehouse(empty).created).toBe(true);
    expect(tablesOf(empty)).toHaveLength(LAKEHOUSE_TABLES.length);

    const moved = path.join(dir, 'moved.sqlite');
    const db = new Database(moved);
    db.exec('CREATE TABLE product_catalog (id INTEGER PRIMARY KEY)');
    db.close();
    expect(seedLakehouse(moved).created).toBe(false);
    expect(tablesOf(moved)).toEqual(['product_catalog']);
  });
});

function tablesOf(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`,
      )
      .all()
      .map(r => (r as { name: string }).name);
  } finally {
    db.close();
  }
}
