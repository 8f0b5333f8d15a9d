/* eslint-disable jest/no-standalone-expect -- the tests run through `itOnPostgres`,
   which is `it` whenever PostgreSQL is available (always under CI=true). */
import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import Database from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { KnexMigrationStore } from '../store/KnexMigrationStore';
import { engineConnection } from '../__testUtils__/engineConnections';
import { planFor } from '../__testUtils__/planFor';
import { createTestDatabases, itOn } from '../__testUtils__/testDatabases';
import { testStore, createTestMigration } from '../__testUtils__/testStore';
import { testRunner, driveMigration } from '../__testUtils__/testRunner';
import { removeTempDir } from '../__testUtils__/tempDir';

jest.setTimeout(180_000);

const ROWS = 80_000;

function seedSource(file: string) {
  const db = new Database(file);
  db.exec(
    `CREATE TABLE "meterReadings" ("readingId" INTEGER PRIMARY KEY, "meterCode" TEXT NOT NULL, "kwh" NUMERIC(10,3), "readAt" DATETIME NOT NULL)`,
  );
  const insert = db.prepare(`INSERT INTO "meterReadings" VALUES (?, ?, ?, ?)`);
  db.transaction(() => {
    for (let i = 1; i <= ROWS; i++)
      insert.run(
        i,
        `M-${i % 500}`,
        i % 9 ? (i % 100000) / 1000 : null,
        `2025-01-0${(i % 9) + 1} 00:00:0${i % 10}`,
      );
  })();
  db.close();
}

/** A byte-level fingerprint of the source file's table: every row, in key order. */
function sourceDigest(file: string): string {
  const db = new Database(file, { readonly: true });
  const hash = crypto.createHash('sha256');
  for (const row of db
    .prepare(`SELECT * FROM "meterReadings" ORDER BY "readingId"`)
    .raw()
    .iterate()) {
    hash.update(JSON.stringify(row));
  }
  const schema = db
    .prepare(`SELECT name, sql FROM sqlite_master ORDER BY name`)
    .all();
  db.close();
  return `${hash.digest('hex')}:${JSON.stringify(schema)}`;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('a target connection killed mid-copy (pg_terminate_backend)', () => {
  const databases = createTestDatabases();
  const itOnPostgres = itOn(databases, 'POSTGRES_15');
  let dir: string;
  let closeStore: () => Promise<void>;
  let registry: ConnectionRegistry;
  let store: KnexMigrationStore;
  let plan: Plan;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-fault-'));
    const sourceFile = path.join(dir, 'source.sqlite');
    seedSource(sourceFile);
    const target = await engineConnection(databases, 'POSTGRES_15', 'lake');
    registry = new ConnectionRegistry(
      new Map([
        [
          'warehouse',
          {
            name: 'warehouse',
            client: 'better-sqlite3',
            connection: { filename: sourceFile },
          },
        ],
        ['lake', target],
      ]),
    );
    plan = await planFor(
      registry,
      { connection: 'warehouse', table: 'meterReadings' },
      [
        {
          name: 'to pg',
          match: {},
          renameColumns: 'snake_case',
          allowDestructive: false,
          computed: [],
          target: { connection: 'lake', table: '{table:snake}' },
        },
      ],
    );
    ({ store, destroy: closeStore } = await testStore());
  });

  afterEach(async () => {
    await registry.destroy();
    await closeStore();
    removeTempDir(dir);
  });

  /** Runs the migration like a worker would, terminating the target's sessions once the copy has begun. */
  async function runWithFault(maxAttempts: number) {
    const runner = testRunner(store, registry, {
      maxAttempts,
      retryBaseMs: 20,
      retryCapMs: 100,
    });
    const created = await createTestMigration(store, plan);
    const lake = registry.get('lake');
    const database = (lake.client.config.connection as { database: string })
      .database;
    let killed = 0;
    const killer = (async () => {
      // Once a batch has landed, lock the target table so the next batch's statement
      // waits on it, then terminate exactly that waiting session: the kill is sure to
      // land inside a write, not on an idle pooled connection.
      for (let i = 0; i < 4000; i++) {
        const copy = (await store.getMigration(created.id))!.steps.find(
          s => s.name === 'copy',
        )!;
        if (copy.progress.done > 0 && copy.progress.done < ROWS) break;
        await sleep(5);
      }
      const settings = lake.client.config.connection as object;
      const locker = knexFactory({ client: 'pg', connection: settings });
      const admin = knexFactory({
        client: 'pg',
        connection: { ...settings, database: 'postgres' },
      });
      try {
        await locker.transaction(async trx => {
          await trx.raw('LOCK TABLE meter_readings IN ACCESS EXCLUSIVE MODE');
          for (let i = 0; i < 2000 && killed === 0; i++) {
            const result = await admin.raw(
              `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
               WHERE datname = ? AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
              [database],
            );
            killed = result.rows.length;
            await sleep(5);
          }
        });
      } finally {
        await locker.destroy();
        await admin.destroy();
      }
    })();
    const migration = await driveMigration(runner, store, created.id, {
      whileStatus: ['queued', 'running', 'rolling_back'],
      maxRuns: 200,
    });
    await killer;
    return { migration, killed };
  }

  itOnPostgres('retries the step and completes with parity', async () => {
    const { migration, killed } = await runWithFault(5);
    expect(killed).toBeGreaterThan(0);
    expect(migration.status).toBe('awaiting_cleanup');
    const copy = migration.steps.find(s => s.name === 'copy')!;
    expect(copy.attempts).toBeGreaterThan(1);
    const events = await store.listEvents(migration.id, 0, 10_000);
    expect(
      events.some(
        e =>
          e.type === 'step.retry' &&
          e.step === 'copy' &&
          /terminat|ECONNRESET|connection/i.test(e.message),
      ),
    ).toBe(true);
    const n = await registry
      .get('lake')
      .raw(
        `SELECT COUNT(*) AS n, COUNT(DISTINCT reading_id) AS d FROM meter_readings`,
      );
    expect(Number(n.rows[0].n)).toBe(ROWS);
    expect(Number(n.rows[0].d)).toBe(ROWS);
    expect(migration.steps.find(s => s.name === 'verify')!.status).toBe(
      'succeeded',
    );
  });

  itOnPostgres(
    'rolls back when retries are exhausted: source byte-identical, no target left',
    async () => {
      const before = sourceDigest(path.join(dir, 'source.sqlite'));
      const { migration, killed } = await runWithFault(1);
      expect(killed).toBeGreaterThan(0);
      expect(migration.status).toBe('failed');
      expect(migration.error).toMatch(
        /Step copy of resource:default\/meterreadings failed: .*(terminat|ECONNRESET|connection)/i,
      );
      expect(
        migration.steps.filter(s => s.status === 'undone').map(s => s.name),
      ).toEqual(['preflight', 'provision', 'copy']);
      const lake = registry.get('lake');
      expect(await lake.schema.hasTable('meter_readings')).toBe(false);
      expect(sourceDigest(path.join(dir, 'source.sqlite'))).toBe(before);
    },
  );
});
