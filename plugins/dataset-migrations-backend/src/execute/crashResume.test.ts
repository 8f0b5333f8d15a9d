import Database from 'better-sqlite3';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import { mockServices } from '@backstage/backend-test-utils';
import { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { migrateStore } from '../store/migrateStore';
import { KnexMigrationStore } from '../store/KnexMigrationStore';
import { planFor } from '../__testUtils__/planFor';

jest.setTimeout(300_000);

const ROWS = 60_000;
const KILLS = 10;
const REPO = path.resolve(__dirname, '../../../..');

function seedSource(file: string) {
  const db = new Database(file);
  db.exec(
    `CREATE TABLE "pageViews" ("eventId" INTEGER PRIMARY KEY, "pageUrl" TEXT NOT NULL, "durationMs" INTEGER, "viewedAt" DATETIME NOT NULL)`,
  );
  const insert = db.prepare(`INSERT INTO "pageViews" VALUES (?, ?, ?, ?)`);
  db.transaction(() => {
    for (let i = 1; i <= ROWS; i++) {
      insert.run(
        i * 3,
        `/p/${i % 97}`,
        i % 11 ? i : null,
        `2024-02-0${(i % 9) + 1} 12:00:00`,
      );
    }
  })();
  db.close();
}

const failures: string[] = [];

function startWorker(args: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      path.join(__dirname, '../__testUtils__/crashWorker.ts'),
      args,
    ],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', chunk => {
    stderr += chunk;
  });
  child.on('exit', (code, signal) => {
    // Only our SIGKILL may end a worker; anything else is a bug the test must show.
    if (signal !== 'SIGKILL')
      failures.push(`worker exited with ${code ?? signal}: ${stderr}`);
  });
  return child;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('crash recovery', () => {
  let dir: string;
  let pluginKnex: Knex;
  afterEach(async () => {
    await pluginKnex?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`survives ${KILLS} SIGKILLs mid-copy with exact parity`, async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-crash-'));
    const sourceFile = path.join(dir, 'source.sqlite');
    const targetFile = path.join(dir, 'target.sqlite');
    const pluginDb = path.join(dir, 'plugin.sqlite');
    seedSource(sourceFile);
    new Database(targetFile).close();
    const connections = {
      warehouse: {
        name: 'warehouse',
        client: 'better-sqlite3',
        connection: { filename: sourceFile },
      },
      lakehouse: {
        name: 'lakehouse',
        client: 'better-sqlite3',
        connection: { filename: targetFile },
      },
    } as const;
    const registry = new ConnectionRegistry(
      new Map(Object.entries(connections)) as any,
    );
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
    await registry.destroy();
    expect(plan.copyStrategy).toBe('streamed');
    expect(plan.preflight?.status).toBe('passed');

    pluginKnex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: pluginDb },
      useNullAsDefault: true,
    });
    await migrateStore(mockServices.database({ knex: pluginKnex }));
    const store = new KnexMigrationStore(pluginKnex);
    const migration = await store.createMigration({
      entityRef: plan.entityRef,
      connection: 'warehouse',
      ownerRef: null,
      plan,
      createdBy: 'user:default/test',
    });
    const args = JSON.stringify({ pluginDb, connections });

    let kills = 0;
    const progressSeen: number[] = [];
    while (kills < KILLS) {
      const child = startWorker(args);
      const before = (await store.getMigration(migration.id))!.steps.find(
        s => s.name === 'copy',
      )!.progress.done;
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
      const copy = (await store.getMigration(migration.id))!.steps.find(
        s => s.name === 'copy',
      )!;
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
      interrupted: progressSeen.some(done => done > 0 && done < ROWS),
    }).toMatchObject({ interrupted: true });
    expect([...progressSeen].sort((a, b) => a - b)).toEqual(progressSeen);

    const source = new Database(sourceFile, { readonly: true });
    const target = new Database(targetFile, { readonly: true });
    const expected = source
      .prepare(
        `SELECT "eventId", "pageUrl", "durationMs", "viewedAt" FROM "pageViews" ORDER BY "eventId"`,
      )
      .raw()
      .all();
    const actual = target
      .prepare(
        `SELECT "event_id", "page_url", "duration_ms", "viewed_at" FROM "page_views" ORDER BY "event_id"`,
      )
      .raw()
      .all();
    const duplicates = target
      .prepare(
        `SELECT COUNT(*) - COUNT(DISTINCT "event_id") AS d FROM "page_views"`,
      )
      .get() as { d: number };
    source.close();
    target.close();
    expect(duplicates.d).toBe(0);
    expect(actual.length).toBe(ROWS);
    expect(actual).toEqual(expected);

    const events = await store.listEvents(migration.id, 0, 10_000);
    expect(
      events.filter(e => e.type === 'step.succeeded' && e.step === 'copy'),
    ).toHaveLength(1);
  });
});
