/* eslint-disable no-console */
/*
 * yarn bench:freeze — how long writers of the source are refused at the end of a move:
 * from the first write the freeze refuses to the end of verify (cutover-ready), with a
 * writer updating random rows all along. Runs provision, copy, catch-up and verify on
 * this machine's PostgreSQL and MariaDB, and prints a table. A benchmark, not a test.
 *
 *   FREEZE_ROWS=200000,1000000 FREEZE_ONLY=pg|mariadb yarn bench:freeze
 */
import knexFactory, { Knex } from 'knex';
import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import { ConnectionRegistry } from '../src/connections/ConnectionRegistry';
import { catchUpStep } from '../src/execute/steps/catchUpStep';
import { copyStep } from '../src/execute/steps/copyStep';
import { provisionStep } from '../src/execute/steps/provisionStep';
import type { Step, StepContext } from '../src/execute/steps/Step';
import { verifyStep } from '../src/execute/steps/verifyStep';
import { planFor } from '../src/__testUtils__/planFor';
import {
  freshPostgresDatabase,
  PG,
  printTable,
  quietLogger,
  runOnce,
  sizesFrom,
} from './benchSupport';

const SIZES = sizesFrom(process.env.FREEZE_ROWS, '200000,1000000');
const ONLY = process.env.FREEZE_ONLY;
// Pause between two writes of the writer, in ms.
const WRITE_EVERY_MS = Number(process.env.FREEZE_WRITE_EVERY_MS ?? 5);

const MY = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

async function seedPg(k: Knex, n: number) {
  await k.raw(`CREATE TABLE events (id bigint PRIMARY KEY, user_id integer NOT NULL, amount numeric(12,2), label varchar(40) NOT NULL,
    note text, created_at timestamp NOT NULL, is_active boolean NOT NULL)`);
  await k.raw(`INSERT INTO events SELECT g, g % 10000, (g % 100000) / 100.0, 'label-' || (g % 997), CASE WHEN g % 3 = 0 THEN NULL ELSE md5(g::text) END,
    TIMESTAMP '2025-01-01' + (g || ' seconds')::interval, g % 2 = 0 FROM generate_series(1, ${n}) g`);
  await k.raw('ANALYZE events');
}

async function seedMariadb(k: Knex, n: number) {
  await k.raw(`CREATE TABLE events (id bigint PRIMARY KEY, user_id int NOT NULL, amount decimal(12,2), label varchar(40) NOT NULL,
    note text, created_at datetime NOT NULL, is_active tinyint(1) NOT NULL)`);
  await k.raw(`INSERT INTO events SELECT seq, seq % 10000, (seq % 100000) / 100.0, CONCAT('label-', seq % 997),
    CASE WHEN seq % 3 = 0 THEN NULL ELSE MD5(seq) END, TIMESTAMP '2025-01-01 00:00:00' + INTERVAL seq SECOND, seq % 2 = 0
    FROM seq_1_to_${Math.floor(n)}`);
}

function context(registry: ConnectionRegistry, plan: Plan): StepContext {
  let checkpoint: unknown;
  const side = (connection: string) => ({
    connection,
    knex: registry.get(connection),
    dialect: registry.dialect(connection),
  });
  return {
    migrationId: 'bench',
    entityRef: plan.entityRef,
    plan,
    source: side('src'),
    target: side(plan.target.connection),
    signal: new AbortController().signal,
    logger: quietLogger,
    checkpoint: async <T>() => checkpoint as T | undefined,
    progress: async update => {
      if (update.checkpoint !== undefined) checkpoint = update.checkpoint;
      if (process.env.FREEZE_DEBUG)
        console.error(performance.now().toFixed(0), JSON.stringify(update));
    },
    event: async message => {
      if (process.env.FREEZE_DEBUG)
        console.error(performance.now().toFixed(0), message);
    },
  };
}

/** Updates random rows of the source until stopped; remembers when writes were refused. */
function startWriter(connection: object, client: 'pg' | 'mysql2', n: number) {
  const k = knexFactory({ client, connection, pool: { min: 1, max: 1 } });
  let isRunning = true;
  let accepted = 0;
  let refused = 0;
  let firstRefusedAt: number | undefined;
  const done = (async () => {
    for (let i = 0; isRunning; i++) {
      const startedAt = performance.now();
      try {
        await k('events')
          .where({ id: 1 + Math.floor(Math.random() * n) })
          .update({ label: `w-${i}` });
        accepted++;
      } catch (e) {
        refused++;
        if (firstRefusedAt === undefined && process.env.FREEZE_DEBUG)
          console.error(startedAt.toFixed(0), String(e));
        firstRefusedAt ??= startedAt;
      }
      await new Promise(r => setTimeout(r, WRITE_EVERY_MS));
    }
    await k.destroy();
  })();
  return {
    async stop() {
      isRunning = false;
      await done;
      return { accepted, refused, firstRefusedAt };
    },
  };
}

type Result = {
  scenario: string;
  rows: number;
  catchUpS: number;
  verifyS: number;
  windowS: number | undefined;
  accepted: number;
  refused: number;
};

async function run(
  scenario: string,
  n: number,
  source: { client: 'pg' | 'mysql2'; connection: object },
  target: object,
): Promise<Result> {
  const registry = new ConnectionRegistry(
    new Map([
      ['src', { name: 'src', ...source }],
      ['dst', { name: 'dst', client: 'pg', connection: target }],
    ]) as any,
  );
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
          target: { connection: 'dst', table: 'events_moved' },
        },
      ],
    );
    const ctx = context(registry, plan);
    const writer = startWriter(source.connection, source.client, n);
    const timed = async (step: Step) => {
      const started = performance.now();
      await step.run(ctx);
      return { started, ended: performance.now() };
    };
    const steps = await (async () => {
      try {
        await timed(provisionStep);
        await timed(copyStep);
        return {
          catchUp: await timed(catchUpStep),
          verify: await timed(verifyStep),
        };
      } finally {
        await writer.stop();
      }
    })();
    const { catchUp, verify } = steps;
    const writes = await writer.stop();
    return {
      scenario,
      rows: n,
      catchUpS: (catchUp.ended - catchUp.started) / 1000,
      verifyS: (verify.ended - verify.started) / 1000,
      windowS:
        writes.firstRefusedAt === undefined
          ? undefined
          : (verify.ended - writes.firstRefusedAt) / 1000,
      accepted: writes.accepted,
      refused: writes.refused,
    };
  } finally {
    await registry.destroy();
  }
}

/** Seeds a fresh source (`client`, `source`), then moves it into a fresh PostgreSQL database. */
async function moveToPostgres(
  scenario: string,
  n: number,
  client: 'pg' | 'mysql2',
  source: object,
  seed: (k: Knex, n: number) => Promise<void>,
) {
  await freshPostgresDatabase('dm_freeze_dst');
  const k = knexFactory({ client, connection: source });
  await seed(k, n);
  await k.destroy();
  return run(
    scenario,
    n,
    { client, connection: source },
    { ...PG, database: 'dm_freeze_dst' },
  );
}

async function pgToPg(n: number) {
  await freshPostgresDatabase('dm_freeze_src');
  const source = { ...PG, database: 'dm_freeze_src' };
  return moveToPostgres('PG -> PG', n, 'pg', source, seedPg);
}

async function mariadbToPg(n: number) {
  await runOnce('mysql2', MY, 'DROP DATABASE IF EXISTS dm_freeze_my');
  await runOnce('mysql2', MY, 'CREATE DATABASE dm_freeze_my');
  const source = { ...MY, database: 'dm_freeze_my' };
  return moveToPostgres('MariaDB -> PG', n, 'mysql2', source, seedMariadb);
}

async function main() {
  const results: Result[] = [];
  for (const n of SIZES) {
    if (ONLY !== 'mariadb') results.push(await pgToPg(n));
    if (ONLY !== 'pg') results.push(await mariadbToPg(n));
  }
  printTable(
    [
      'scenario',
      'rows',
      'catch-up s',
      'verify s',
      'freeze window s',
      'writes ok',
      'writes refused',
    ],
    results.map(r => [
      r.scenario,
      r.rows.toLocaleString('en-US'),
      r.catchUpS.toFixed(2),
      r.verifyS.toFixed(2),
      r.windowS === undefined ? 'none seen' : r.windowS.toFixed(3),
      String(r.accepted),
      String(r.refused),
    ]),
  );
  console.log(
    `\nfreeze window: from the first write refused to the end of verify; one writer, a row update every ${WRITE_EVERY_MS} ms`,
  );
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
