/* eslint-disable no-console */
/*
 * yarn bench:copy — throughput and peak RSS of the executor's copy against reference
 * tools on the same data, in one run, on this machine's PostgreSQL (and MariaDB with
 * Debian's pgloader when it is installed). A benchmark, not a test: it prints a table.
 */
import { execSync } from 'node:child_process';
import knexFactory, { Knex } from 'knex';
import { ConnectionRegistry } from '../src/connections/ConnectionRegistry';
import { DEFAULT_EXECUTOR_SETTINGS } from '../src/execute/ExecutorSettings';
import { MigrationRunner } from '../src/execute/MigrationRunner';
import { KnexMigrationStore } from '../src/store/KnexMigrationStore';
import { migrateStore } from '../src/store/migrateStore';
import { planFor } from '../src/__testUtils__/planFor';
import {
  freshPostgresDatabase,
  PG,
  printTable,
  quietLogger,
  runOnce,
  sizesFrom,
} from './benchSupport';

const SIZES = sizesFrom(process.env.BENCH_ROWS, '100000,1000000');
// BENCH_ONLY=pg or BENCH_ONLY=mariadb runs one group of scenarios.
const ONLY = process.env.BENCH_ONLY;
// Rounds per scenario on freshly seeded data; the table shows each tool's median.
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const rows: string[][] = [];
async function admin(sql: string) {
  await runOnce('pg', { ...PG, database: 'postgres' }, sql);
}

async function seed(k: Knex, table: string, n: number) {
  await k.raw(`CREATE TABLE ${table} (id bigint PRIMARY KEY, user_id integer NOT NULL, amount numeric(12,2), label varchar(40) NOT NULL,
    note text, created_at timestamp NOT NULL, is_active boolean NOT NULL, score double precision)`);
  await k.raw(`INSERT INTO ${table} SELECT g, g % 10000, (g % 100000) / 100.0, 'label-' || (g % 997), CASE WHEN g % 3 = 0 THEN NULL ELSE md5(g::text) END,
    TIMESTAMP '2025-01-01' + (g || ' seconds')::interval, g % 2 = 0, g * 0.5 FROM generate_series(1, ${n}) g`);
  await k.raw(`ANALYZE ${table}`);
}

/** Samples this process's RSS while `work` runs; returns seconds and peak MB. */
async function measure(
  work: () => Promise<void>,
): Promise<{ seconds: number; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = process.hrtime.bigint();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return {
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    peakMb: Math.round(peak / 1048576),
  };
}

async function ourCopy(
  source: object,
  target: object,
  table: string,
  sameDb: boolean,
  sourceClient: 'pg' | 'mysql2' = 'pg',
) {
  const registry = new ConnectionRegistry(
    new Map([
      ['src', { name: 'src', client: sourceClient, connection: source }],
      [
        'dst',
        { name: 'dst', client: 'pg', connection: sameDb ? source : target },
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
    const plan = await planFor(registry, { connection: 'src', table }, [
      {
        name: 'bench',
        match: {},
        allowDestructive: false,
        computed: [],
        target: { connection: 'dst', table: `${table}_copy` },
      },
    ]);
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
    let copySeconds = 0;
    let loadSeconds = 0;
    const m = await measure(async () => {
      await runner.run(migration, 'bench', new AbortController().signal);
      const steps = (await store.getMigration(migration.id))!.steps;
      const seconds = (name: string) => {
        const step = steps.find(s => s.name === name)!;
        return (
          (Date.parse(step.finishedAt!) - Date.parse(step.startedAt!)) / 1000
        );
      };
      copySeconds = seconds('copy');
      loadSeconds = seconds('provision') + copySeconds;
    });
    const status = (await store.getMigration(migration.id))!.status;
    if (status !== 'awaiting_cleanup')
      throw new Error(`bench migration ended ${status}`);
    return {
      seconds: copySeconds,
      loadSeconds,
      peakMb: m.peakMb,
      strategy: plan.copyStrategy,
    };
  } finally {
    await registry.destroy();
    await pluginKnex.destroy();
  }
}

function row(
  scenario: string,
  tool: string,
  n: number,
  seconds: number,
  peakMb: number | string,
  ref?: number,
) {
  rows.push([
    scenario,
    tool,
    n.toLocaleString('en-US'),
    seconds.toFixed(2),
    Math.round(n / seconds).toLocaleString('en-US'),
    String(peakMb),
    ref ? `${(ref / seconds).toFixed(2)}×` : '',
  ]);
}

const MY = {
  host: '127.0.0.1',
  port: 3306,
  user: 'dm_test',
  password: 'dm_test',
};

async function mysqlAdmin(sql: string) {
  await runOnce('mysql2', MY, sql);
}

/** One round of MariaDB -> PostgreSQL on a freshly seeded MariaDB database. */
async function mariadbRound(n: number) {
  await mysqlAdmin('DROP DATABASE IF EXISTS dm_bench_my');
  await mysqlAdmin('CREATE DATABASE dm_bench_my');
  const my = knexFactory({
    client: 'mysql2',
    connection: { ...MY, database: 'dm_bench_my' },
  });
  await my.raw(`CREATE TABLE events (id bigint PRIMARY KEY, user_id int NOT NULL, amount decimal(12,2), label varchar(40) NOT NULL,
    note text, created_at datetime NOT NULL, is_active tinyint(1) NOT NULL, score double)`);
  // MariaDB's SEQUENCE engine (seq_1_to_N) generates the rows inside the server.
  await my.raw(`INSERT INTO events SELECT seq, seq % 10000, (seq % 100000) / 100.0, CONCAT('label-', seq % 997),
    CASE WHEN seq % 3 = 0 THEN NULL ELSE MD5(seq) END, TIMESTAMP '2025-01-01 00:00:00' + INTERVAL seq SECOND, seq % 2 = 0, seq * 0.5
    FROM seq_1_to_${Math.floor(n)}`);
  await my.destroy();

  await freshPostgresDatabase('dm_bench_pgl');
  await admin('CHECKPOINT');
  const loader = await measure(async () => {
    execSync(
      `pgloader --quiet mysql://dm_test:dm_test@127.0.0.1:3306/dm_bench_my postgresql://postgres:postgres@127.0.0.1:5432/dm_bench_pgl`,
      { stdio: 'ignore', shell: '/bin/bash' },
    );
  });
  const pgl = knexFactory({
    client: 'pg',
    connection: { ...PG, database: 'dm_bench_pgl' },
  });
  const loaded = Number(
    (await pgl.raw('SELECT count(*) AS n FROM dm_bench_my.events')).rows[0].n,
  );
  await pgl.destroy();
  if (loaded !== n) throw new Error(`pgloader loaded ${loaded} of ${n} rows`);

  await freshPostgresDatabase('dm_bench_dst');
  await admin('CHECKPOINT');
  const ours = await ourCopy(
    { ...MY, database: 'dm_bench_my' },
    { ...PG, database: 'dm_bench_dst' },
    'events',
    false,
    'mysql2',
  );
  // Provision (the target table and its key) counts: pgloader's run builds them too.
  return { loader, ours: { ...ours, seconds: ours.loadSeconds } };
}

/** MariaDB -> PostgreSQL: Debian's pgloader against ours, same table, same run. */
async function mariadbToPostgres(): Promise<string> {
  try {
    execSync('command -v pgloader', { stdio: 'ignore', shell: '/bin/bash' });
  } catch {
    return 'not measured: pgloader is not installed (apt-get install pgloader)';
  }
  try {
    await mysqlAdmin('SELECT 1');
  } catch (e) {
    return `not measured: MariaDB at 127.0.0.1:3306 as dm_test/dm_test (scripts/test.sh creates the user): ${e}`;
  }
  for (const n of SIZES) {
    const rounds = [];
    for (let r = 0; r < REPEAT; r++) rounds.push(await mariadbRound(n));
    const loader = median(rounds.map(r => r.loader));
    const ours = median(rounds.map(r => r.ours));
    row(
      'MariaDB -> PG',
      'pgloader (Debian)',
      n,
      loader.seconds,
      'n/a (pgloader)',
    );
    row(
      'MariaDB -> PG',
      `dataset-migrations (${ours.strategy})`,
      n,
      ours.seconds,
      ours.peakMb,
      loader.seconds,
    );
  }
  return 'measured (rows above)';
}

type Timed = { seconds: number; peakMb: number | string; strategy?: string };

/** The median run (by seconds) of several, with the highest peak RSS among them. */
function median(runs: Timed[]): Timed {
  const sorted = [...runs].sort((x, y) => x.seconds - y.seconds);
  const mid = sorted[Math.floor(sorted.length / 2)];
  const peaks = runs.map(r => r.peakMb).filter(p => typeof p === 'number');
  return {
    ...mid,
    peakMb: peaks.length ? Math.max(...(peaks as number[])) : mid.peakMb,
  };
}

/** One round of the PostgreSQL scenarios on freshly seeded databases. */
async function pgRound(n: number) {
  await freshPostgresDatabase('dm_bench_src');
  await freshPostgresDatabase('dm_bench_dst');
  const src = knexFactory({
    client: 'pg',
    connection: { ...PG, database: 'dm_bench_src' },
  });
  const dst = knexFactory({
    client: 'pg',
    connection: { ...PG, database: 'dm_bench_dst' },
  });
  try {
    await seed(src, 'events', n);
    // PostgreSQL -> PostgreSQL across two databases: psql \copy pipe vs ours.
    await dst.raw(
      `CREATE TABLE events_psql (id bigint PRIMARY KEY, user_id integer NOT NULL, amount numeric(12,2), label varchar(40) NOT NULL, note text, created_at timestamp NOT NULL, is_active boolean NOT NULL, score double precision)`,
    );
    await admin('CHECKPOINT');
    const psql = await measure(async () => {
      execSync(
        `psql -h 127.0.0.1 -U postgres -d dm_bench_src -c "\\copy events to stdout" | psql -h 127.0.0.1 -U postgres -d dm_bench_dst -c "\\copy events_psql from stdin"`,
        { stdio: 'ignore', shell: '/bin/bash' },
      );
    });
    await admin('CHECKPOINT');
    const pipe = await ourCopy(
      { ...PG, database: 'dm_bench_src' },
      { ...PG, database: 'dm_bench_dst' },
      'events',
      false,
    );
    // Same database: hand-written INSERT ... SELECT vs our push-down.
    await src.raw(`CREATE TABLE events_hand (LIKE events INCLUDING ALL)`);
    await admin('CHECKPOINT');
    const hand = await measure(async () => {
      await src.raw(`INSERT INTO events_hand SELECT * FROM events ORDER BY id`);
    });
    await admin('CHECKPOINT');
    const push = await ourCopy(
      { ...PG, database: 'dm_bench_src' },
      {},
      'events',
      true,
    );
    return { psql, pipe, hand, push };
  } finally {
    await src.destroy();
    await dst.destroy();
  }
}

async function main() {
  for (const n of ONLY === 'mariadb' ? [] : SIZES) {
    const rounds = [];
    for (let r = 0; r < REPEAT; r++) rounds.push(await pgRound(n));
    const psql = median(rounds.map(r => r.psql));
    const pipe = median(rounds.map(r => r.pipe));
    const hand = median(rounds.map(r => r.hand));
    const push = median(rounds.map(r => r.push));
    row(
      'PG -> PG, two databases',
      'psql \\copy piped to psql \\copy',
      n,
      psql.seconds,
      'n/a (psql)',
    );
    row(
      'PG -> PG, two databases',
      `dataset-migrations (${pipe.strategy})`,
      n,
      pipe.seconds,
      pipe.peakMb,
      psql.seconds,
    );
    row(
      'PG, same database',
      'hand-written INSERT … SELECT',
      n,
      hand.seconds,
      'n/a (server)',
    );
    row(
      'PG, same database',
      `dataset-migrations (${push.strategy})`,
      n,
      push.seconds,
      push.peakMb,
      hand.seconds,
    );
  }
  const pgloader =
    ONLY === 'pg' ? 'skipped (BENCH_ONLY=pg)' : await mariadbToPostgres();

  const header = [
    'scenario',
    'tool',
    'rows',
    'seconds',
    'rows/s',
    'peak RSS MB',
    'vs reference',
  ];
  printTable(header, rows);
  console.log(`\nMariaDB -> PostgreSQL against pgloader: ${pgloader}`);
  console.log(
    'Ours: copy-step seconds (PG -> PG, same database) or provision + copy (MariaDB -> PG, the',
  );
  console.log(
    'target table and its key made before the load); pgloader: its whole run, which builds',
  );
  console.log(
    'the key after the load. Peak RSS: the copying Node process (pgloader: not sampled).',
  );
  console.log(
    `Each figure is the median of ${REPEAT} rounds on freshly seeded data, after a CHECKPOINT.`,
  );
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
