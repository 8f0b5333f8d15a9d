/* eslint-disable no-console */
/*
 * yarn bench:sqlite-loop — how long the backend's event loop stalls while a migration
 * of a large SQLite table runs (push-down inside one file, keyset batches into another
 * file), and how long the migration takes. A timer asks every 50 ms, as a health
 * check would; the table shows the longest it waited. A benchmark, not a test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import knexFactory from 'knex';
import { ConnectionRegistry } from '../src/connections/ConnectionRegistry';
import { DEFAULT_EXECUTOR_SETTINGS } from '../src/execute/ExecutorSettings';
import { MigrationRunner } from '../src/execute/MigrationRunner';
import { KnexMigrationStore } from '../src/store/KnexMigrationStore';
import { migrateStore } from '../src/store/migrateStore';
import { planFor } from '../src/__testUtils__/planFor';
import { printTable, quietLogger, sizesFrom } from './benchSupport';

const SIZES = sizesFrom(process.env.BENCH_ROWS, '1000000');
const TICK_MS = 50;

function seed(file: string, rows: number) {
  const db = new Database(file);
  db.exec(`CREATE TABLE events (id integer PRIMARY KEY, user_id integer NOT NULL,
    label text NOT NULL, note text, created_at text NOT NULL)`);
  db.exec(`WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ${rows})
    INSERT INTO events SELECT n, n % 10000, 'label-' || (n % 997),
      CASE WHEN n % 3 = 0 THEN NULL ELSE hex(randomblob(8)) END,
      '2025-01-01 10:00:00' FROM g`);
  db.close();
}

async function migrate(rows: number, sameFile: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-bench-loop-'));
  const src = path.join(dir, 'src.sqlite');
  const dst = path.join(dir, 'dst.sqlite');
  seed(src, rows);
  new Database(dst).close();
  const registry = new ConnectionRegistry(
    new Map([
      [
        'src',
        {
          name: 'src',
          client: 'better-sqlite3',
          connection: { filename: src },
        },
      ],
      [
        'dst',
        {
          name: 'dst',
          client: 'better-sqlite3',
          connection: { filename: sameFile ? src : dst },
        },
      ],
    ]) as any,
  );
  const pluginKnex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  await migrateStore({ getClient: async () => pluginKnex } as any);
  const store = new KnexMigrationStore(pluginKnex);
  try {
    const plan = await planFor(
      registry,
      { connection: 'src', table: 'events' },
      [
        {
          name: 'bench',
          match: {},
          allowDestructive: false,
          computed: [],
          target: { connection: 'dst', table: 'events_copy' },
        },
      ],
    );
    const migration = await store.createMigration({
      entityRef: plan.entityRef,
      connection: 'src',
      ownerRef: null,
      plan,
      createdBy: 'bench',
    });
    const runner = new MigrationRunner({
      store,
      connections: registry,
      settings: DEFAULT_EXECUTOR_SETTINGS,
      logger: quietLogger,
    });
    let worstWait = 0;
    let last = Date.now();
    const timer = setInterval(() => {
      const now = Date.now();
      worstWait = Math.max(worstWait, now - last - TICK_MS);
      last = now;
    }, TICK_MS);
    const started = Date.now();
    try {
      await runner.run(migration, 'bench', new AbortController().signal);
    } finally {
      clearInterval(timer);
    }
    // A loop stalled to the end never ran the timer again: that wait counts too.
    worstWait = Math.max(worstWait, Date.now() - last - TICK_MS);
    const seconds = (Date.now() - started) / 1000;
    const status = (await store.getMigration(migration.id))!.status;
    if (status !== 'awaiting_cleanup')
      throw new Error(`bench migration ended ${status}`);
    return { seconds, worstWait, strategy: plan.copyStrategy };
  } finally {
    await registry.destroy();
    await pluginKnex.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const table: string[][] = [];
  for (const rows of SIZES) {
    for (const sameFile of [true, false]) {
      const r = await migrate(rows, sameFile);
      table.push([
        rows.toLocaleString('en-US'),
        r.strategy,
        r.seconds.toFixed(1),
        String(r.worstWait),
      ]);
    }
  }
  printTable(
    ['rows', 'copy strategy', 'migration s', 'longest event-loop stall ms'],
    table,
  );
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
