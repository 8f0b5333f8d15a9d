import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { createRandom } from './random';
import { WAREHOUSE_TABLES } from './warehouseTables';

export type SeedResult = { file: string; created: boolean; rows: number };

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
  let rows = 0;
  try {
    db.pragma('journal_mode = DELETE');
    const random = createRandom(20261123);
    for (const table of WAREHOUSE_TABLES) {
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
  } finally {
    db.close();
  }
  fs.renameSync(partial, file);
  return { file, created: true, rows };
}

/** Creates the empty lakehouse file, the target of moves across databases. */
export function seedLakehouse(file: string): SeedResult {
  if (fs.existsSync(file)) return { file, created: false, rows: 0 };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = DELETE');
  db.close();
  return { file, created: true, rows: 0 };
}
