import Database from 'better-sqlite3';
import { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import type { CopyStrategy } from '@internal/backstage-plugin-dataset-migrations-common';
import type { ConnectionConfig } from '../config/DatasetMigrationsConfig';
import { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { allRows, firstRow } from '../dialects/rawRows';
import { engineConnection } from '../__testUtils__/engineConnections';
import { planFor } from '../__testUtils__/planFor';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { testStore, createTestMigration } from '../__testUtils__/testStore';
import { startWorkerProcess } from '../__testUtils__/workerProcess';
import { removeTempDir } from '../__testUtils__/tempDir';

jest.setTimeout(300_000);

const KILLS = 10;

/** One kind of move the crash test runs: its engines, its rows, how to seed and read them. */
type Scenario = {
  name: string;
  strategy: CopyStrategy;
  /** Enough rows that the copy commits many batches, each a chance to be killed in. */
  rows: number;
  connections(dir: string): Promise<Record<string, ConnectionConfig>>;
  seed(knex: Knex, rows: number): Promise<void>;
};

const sqliteToSqlite: Scenario = {
  name: 'SQLite -> SQLite file, keyset batches',
  strategy: 'streamed',
  rows: 60_000,
  async connections(dir) {
    const targetFile = path.join(dir, 'target.sqlite');
    new Database(targetFile).close();
    return {
      warehouse: {
        name: 'warehouse',
        client: 'better-sqlite3',
        connection: { filename: path.join(dir, 'source.sqlite') },
      },
      lakehouse: {
        name: 'lakehouse',
        client: 'better-sqlite3',
        connection: { filename: targetFile },
      },
    };
  },
  async seed(knex, rows) {
    await knex.raw(
      `CREATE TABLE "pageViews" ("eventId" INTEGER PRIMARY KEY, "pageUrl" TEXT NOT NULL, "durationMs" INTEGER, "viewedAt" DATETIME NOT NULL)`,
    );
    const all = Array.from({ length: rows }, (_, n) => {
      const i = n + 1;
      return {
        eventId: i * 3,
        pageUrl: `/p/${i % 97}`,
        durationMs: i % 11 ? i : null,
        viewedAt: `2024-02-0${(i % 9) + 1} 12:00:00`,
      };
    });
    await knex.batchInsert('pageViews', all, 100);
  },
};

function postgresToPostgres(
  databases: ReturnType<typeof createTestDatabases>,
): Scenario {
  return {
    name: 'PostgreSQL -> another PostgreSQL database, COPY pipe',
    strategy: 'copy-pipe',
    // Ranges are 50,000 rows: twelve of them give every life a range to die in.
    rows: 600_000,
    async connections() {
      return {
        warehouse: await engineConnection(
          databases,
          'POSTGRES_15',
          'warehouse',
        ),
        lakehouse: await engineConnection(
          databases,
          'POSTGRES_15',
          'lakehouse',
        ),
      };
    },
    async seed(knex, rows) {
      await knex.raw(
        `CREATE TABLE "pageViews" ("eventId" bigint PRIMARY KEY, "pageUrl" text NOT NULL, "durationMs" integer, "viewedAt" timestamp NOT NULL)`,
      );
      await knex.raw(
        `INSERT INTO "pageViews" SELECT g * 3, '/p/' || (g % 97), CASE WHEN g % 11 = 0 THEN NULL ELSE g END,
           TIMESTAMP '2024-02-01 12:00:00' + (g % 9) * INTERVAL '1 day' FROM generate_series(1, ?) AS g`,
        [rows],
      );
    },
  };
}

/** Every row, in key order, as one string per side: equal strings mean equal tables. */
async function contents(knex: Knex, table: string, columns: string[]) {
  const list = columns.map(c => `"${c}"`).join(', ');
  const rows = allRows(
    await knex.raw(`SELECT ${list} FROM "${table}" ORDER BY "${columns[0]}"`),
  );
  return rows.map(r => columns.map(c => String(r[c] ?? '∅')).join('|'));
}

const failures: string[] = [];

function startWorker(args: object): ChildProcess {
  return startWorkerProcess(args, (code, signal, stderr) => {
    // Only our SIGKILL may end a worker; anything else is a bug the test must show.
    if (signal !== 'SIGKILL')
      failures.push(`worker exited with ${code ?? signal}: ${stderr}`);
  });
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('crash recovery', () => {
  const databases = createTestDatabases();
  let dir: string;
  let pluginKnex: Knex;
  let registry: ConnectionRegistry | undefined;
  afterEach(async () => {
    await registry?.destroy();
    registry = undefined;
    await pluginKnex?.destroy();
    removeTempDir(dir);
  });

  it.each([sqliteToSqlite, postgresToPostgres(databases)])(
    `$name: survives ${KILLS} SIGKILLs mid-copy with exact parity`,
    async scenario => {
      failures.length = 0;
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-crash-'));
      const pluginDb = path.join(dir, 'plugin.sqlite');
      const connections = await scenario.connections(dir);
      registry = new ConnectionRegistry(new Map(Object.entries(connections)));
      await scenario.seed(registry.get('warehouse'), scenario.rows);
      const plan = await planFor(
        registry,
        { connection: 'warehouse', table: 'pageViews' },
        [
          {
            name: 'move',
            match: {},
            renameColumns: 'snake_case',
            allowDestructive: false,
            computed: [],
            target: { connection: 'lakehouse', table: '{table:snake}' },
          },
        ],
      );
      expect(plan.copyStrategy).toBe(scenario.strategy);
      expect(plan.preflight?.status).toBe('passed');

      pluginKnex = knexFactory({
        client: 'better-sqlite3',
        connection: { filename: pluginDb },
        useNullAsDefault: true,
      });
      const { store } = await testStore(pluginKnex);
      const migration = await createTestMigration(store, plan);
      // A ten-minute lease: each restarted process must take back its earlier self's
      // lease at once (same host, that pid gone) for the copy to go on within the test.
      const args = { pluginDb, connections, leaseMs: 600_000 };
      const copyOf = async () =>
        (await store.getMigration(migration.id))!.steps.find(
          s => s.name === 'copy',
        )!;

      let kills = 0;
      const progressSeen: number[] = [];
      while (kills < KILLS) {
        const child = startWorker(args);
        const before = (await copyOf()).progress.done;
        // Kill once the copy has moved on in this life, plus a random few milliseconds.
        for (let i = 0; i < 400; i++) {
          const m = (await store.getMigration(migration.id))!;
          const copy = m.steps.find(s => s.name === 'copy')!;
          if (
            copy.progress.done > before ||
            copy.status === 'succeeded' ||
            !['queued', 'running'].includes(m.status)
          )
            break;
          await sleep(25);
        }
        await sleep(Math.floor(Math.random() * 60));
        child.kill('SIGKILL');
        await new Promise(r => child.once('exit', r));
        kills++;
        const copy = await copyOf();
        progressSeen.push(copy.progress.done);
        if (copy.status === 'succeeded') break;
      }

      const last = startWorker(args);
      let status = '';
      for (let i = 0; i < 1200 && status !== 'awaiting_cleanup'; i++) {
        status = (await store.getMigration(migration.id))!.status;
        expect(['queued', 'running', 'awaiting_cleanup']).toContain(status);
        await sleep(50);
      }
      last.kill('SIGKILL');
      expect(failures).toEqual([]);
      expect(status).toBe('awaiting_cleanup');
      // The copy was interrupted mid-way at least once, and progress never went backwards.
      expect({
        progressSeen,
        interrupted: progressSeen.some(
          done => done > 0 && done < scenario.rows,
        ),
      }).toMatchObject({ interrupted: true });
      expect([...progressSeen].sort((a, b) => a - b)).toEqual(progressSeen);

      // The source is frozen now, not renamed: both sides can be read as they are.
      const target = registry.get('lakehouse');
      const duplicates = firstRow(
        await target.raw(
          `SELECT COUNT(*) - COUNT(DISTINCT "event_id") AS d FROM "page_views"`,
        ),
      );
      expect(Number(duplicates?.d)).toBe(0);
      const expected = await contents(registry.get('warehouse'), 'pageViews', [
        'eventId',
        'pageUrl',
        'durationMs',
        'viewedAt',
      ]);
      const actual = await contents(target, 'page_views', [
        'event_id',
        'page_url',
        'duration_ms',
        'viewed_at',
      ]);
      expect(actual.length).toBe(scenario.rows);
      // The first differing row, if any: a deep toEqual of 600,000 rows takes too long.
      const differs = actual.findIndex((row, i) => row !== expected[i]);
      expect({ differs, row: actual[differs] }).toEqual({
        differs: -1,
        row: undefined,
      });

      const events = await store.listEvents(migration.id, 0, 10_000);
      expect(
        events.filter(e => e.type === 'step.succeeded' && e.step === 'copy'),
      ).toHaveLength(1);
      // Ten kills, and not one of them counted as a failed attempt of the copy.
      expect((await copyOf()).attempts).toBe(1);
    },
  );
});
