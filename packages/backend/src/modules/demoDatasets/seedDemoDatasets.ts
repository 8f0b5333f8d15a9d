import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { LAKEHOUSE_TABLES } from './lakehouseTables';
import { createRandom, type Random } from './random';
import { type DemoTable, WAREHOUSE_TABLES } from './warehouseTables';

export type SeedResult = { file: string; created: boolean; rows: number };

/** Creates and fills `tables` in `db`; returns the rows written. */
function createTables(
  db: Database.Database,
  tables: DemoTable[],
  random: Random,
): number {
  let rows = 0;
  for (const table of tables) {
    db.exec(table.ddl);
    const insert = db.prepare(
      `INSERT INTO "${table.name}" (${table.columns
        .map(c => `"${c}"`)
        .join(', ')}) VALUES (${table.columns.map(() => '?').join(', ')})`,
    );
    db.transaction(() => {
      for (let i = 1; i <= table.rows; i++) insert.run(table.row(i, random));
    })();
    rows += table.rows;
  }
  return rows;
}

/**
 * Creates the warehouse demo file when it is missing. It is built under a temporary
 * name and renamed into place, so a crash mid-seed never leaves a half-filled file
 * that a later start would take for complete.
 */
export function seedWarehouse(file: string): SeedResult {
  if (fs.existsSync(file)) return { file, created: false, rows: 0 };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  fs.rmSync(partial, { force: true });

  const db = new Database(partial);
  let rows: number;
  try {
    db.pragma('journal_mode = DELETE');
    rows = createTables(db, WAREHOUSE_TABLES, createRandom(20261123));
  } finally {
    db.close();
  }
  fs.renameSync(partial, file);
  return { file, created: true, rows };
}

/**
 * Creates the lakehouse, the target of moves across databases, with the few tables
 * only discovery describes. A lakehouse without any table (one made before it had
 * them) gets them too; one holding tables is left alone, whatever moved there.
 */
export function seedLakehouse(file: string): SeedResult {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    const { n } = db
      .prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'`)
      .get() as { n: number };
    if (n > 0) return { file, created: false, rows: 0 };
    db.pragma('journal_mode = DELETE');
    const rows = db.transaction(() =>
      createTables(db, LAKEHOUSE_TABLES, createRandom(20260112)),
    )();
    return { file, created: true, rows };
  } finally {
    db.close();
  }
}
