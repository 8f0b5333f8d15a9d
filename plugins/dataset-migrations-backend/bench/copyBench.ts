/* eslint-disable no-console */
/*
 * yarn bench:copy — throughput and peak RSS of the executor's copy against reference
 * tools on the same data, in one run, on this machine's PostgreSQL (and MariaDB with
 * Debian's pgloader when it is installed). A benchmark, not a test: it prints a table on
 * stdout and its progress on stderr. Our runs each go in a fresh process (copyRun.ts).
 */
import { execSync, spawn } from 'node:child_process';
import knexFactory, { Knex } from 'knex';
import {
  freshPostgresDatabase,
  PG,
  printTable,
  runOnce,
  sizesFrom,
} from './benchSupport';
import { changedKeys, CopyRunRequest, CopyRunResult } from './copyRun';
import { compiledScript } from './compiledScript';

const SIZES = sizesFrom(process.env.BENCH_ROWS, '100000,1000000');
// BENCH_ONLY=pg or BENCH_ONLY=mariadb runs one group of scenarios.
const ONLY = process.env.BENCH_ONLY;
// Rounds per scenario on freshly seeded data; the table shows each tool's median.
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
// BENCH_DB_PREFIX names the bench's databases, so two benches on one server do not
// drop each other's.
const DB_PREFIX = process.env.BENCH_DB_PREFIX ?? 'dm_bench';
const DB_MY = `${DB_PREFIX}_my`;
const DB_PGL = `${DB_PREFIX}_pgl`;
const DB_SRC = `${DB_PREFIX}_src`;
const DB_DST = `${DB_PREFIX}_dst`;
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

/** Times `work`; the reference tools run in processes of their own, unsampled. */
async function measure(
  work: () => Promise<void>,
): Promise<{ seconds: number }> {
  const started = process.hrtime.bigint();
  await work();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Progress on stderr, so a long run shows what it is doing; the table goes to stdout. */
const benchStarted = Date.now();
function progress(message: string) {
  const s = ((Date.now() - benchStarted) / 1000).toFixed(0).padStart(5);
  console.error(`[${s} s] ${message}`);
}

/** Keys changed in the bisection run (verify must find and name the first ten). */
const CHANGED = 100;

/**
 * Our copy in a fresh process (see copyRun.ts) running compiled JavaScript, as a
 * backend does, so its peak RSS is its own.
 */
async function ourCopy(
  source: object,
  target: object,
  table: string,
  sameDb: boolean,
  n: number,
  sourceClient: 'pg' | 'mysql2' = 'pg',
): Promise<CopyRunResult> {
  const request: CopyRunRequest = {
    source,
    target,
    table,
    sameDb,
    sourceClient,
    rows: n,
    changed: Math.min(CHANGED, n),
  };
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
        : []),
      // Node flags for our runs alone, e.g. --trace-gc.
      ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      await compiledScript(require.resolve('./copyRun.ts')),
      JSON.stringify(request),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', chunk => {
    out += chunk;
    // What the flags print (--trace-gc writes to stdout) goes to stderr with progress.
    if (process.env.BENCH_NODE_ARGS) process.stderr.write(chunk);
  });
  const code = await new Promise<number | null>(resolve =>
    child.on('close', resolve),
  );
  const line = out.split('\n').find(l => l.startsWith('RESULT '));
  if (code !== 0 || !line)
    throw new Error(`copy run exited ${code}: ${out.slice(-2000)}`);
  const result = JSON.parse(line.slice('RESULT '.length)) as CopyRunResult;
  const expected = changedKeys(n, Math.min(CHANGED, n)).slice(0, 10);
  if (JSON.stringify(result.bisect?.named) !== JSON.stringify(expected))
    throw new Error(
      `verify named ${JSON.stringify(
        result.bisect?.named,
      )}, not the changed keys ${JSON.stringify(expected)}`,
    );
  return result;
}

/** `SELECT count(*)` on both sides at once: data-diff's yardstick for a verify. */
async function countBoth(
  a: { client: 'pg' | 'mysql2'; connection: object; table: string },
  b: { client: 'pg' | 'mysql2'; connection: object; table: string },
) {
  const sides = [a, b].map(s => ({
    ...s,
    knex: knexFactory({ client: s.client, connection: { ...s.connection } }),
  }));
  try {
    // Connected first: the yardstick is the counting, not the handshake.
    await Promise.all(sides.map(s => s.knex.raw('SELECT 1')));
    return await measure(async () => {
      await Promise.all(
        sides.map(s => s.knex.raw(`SELECT count(*) AS n FROM ${s.table}`)),
      );
    });
  } finally {
    await Promise.all(sides.map(s => s.knex.destroy()));
  }
}

function row(
  scenario: string,
  tool: string,
  n: number,
  seconds: number,
  peakMb: number | string,
  vs = '',
) {
  rows.push([
    scenario,
    tool,
    n.toLocaleString('en-US'),
    seconds.toFixed(2),
    Math.round(n / seconds).toLocaleString('en-US'),
    String(peakMb),
    vs,
  ]);
}

/** How many times faster than the reference (above 1: faster). */
const speed = (reference: number, seconds: number) =>
  `${(reference / seconds).toFixed(2)}×`;
/** A verify's (or count's) time as a share of the copy's (below 1: quicker). */
const share = (seconds: number, copySeconds: number) =>
  `${(seconds / copySeconds).toFixed(2)}× of copy`;

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Our rows of one scenario, each figure the median over the rounds (peak RSS: the
 * highest): the copy against the reference, verify and the bisection run as shares of
 * the copy's time, beside `count(*)` on both sides.
 */
function ourRows(
  scenario: string,
  n: number,
  rounds: Array<{ ours: CopyRunResult; count: { seconds: number } }>,
  reference: number | undefined,
  copyOf: (r: CopyRunResult) => number,
) {
  const ours = rounds.map(r => r.ours);
  const copy = median(ours.map(copyOf));
  const copyStep = median(ours.map(r => r.copySeconds));
  const peak = Math.max(...ours.map(r => r.peakMb));
  row(
    scenario,
    `dataset-migrations (${ours[0].strategy})`,
    n,
    copy,
    peak,
    reference ? speed(reference, copy) : 'no reference',
  );
  const verify = median(ours.map(r => r.verifySeconds));
  row(
    scenario,
    'dataset-migrations (verify)',
    n,
    verify,
    peak,
    share(verify, copyStep),
  );
  const bisect = median(ours.map(r => r.bisect!.seconds));
  row(
    scenario,
    `dataset-migrations (verify, ${Math.min(CHANGED, n)} rows changed)`,
    n,
    bisect,
    peak,
    share(bisect, copyStep),
  );
  const count = median(rounds.map(r => r.count.seconds));
  row(
    scenario,
    'count(*) both sides',
    n,
    count,
    'n/a (server)',
    share(count, copyStep),
  );
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
async function mariadbRound(n: number, hasPgloader: boolean) {
  progress(`MariaDB -> PG, ${n} rows: seeding`);
  await mysqlAdmin(`DROP DATABASE IF EXISTS ${DB_MY}`);
  await mysqlAdmin(`CREATE DATABASE ${DB_MY}`);
  const my = knexFactory({
    client: 'mysql2',
    connection: { ...MY, database: DB_MY },
  });
  await my.raw(`CREATE TABLE events (id bigint PRIMARY KEY, user_id int NOT NULL, amount decimal(12,2), label varchar(40) NOT NULL,
    note text, created_at datetime NOT NULL, is_active tinyint(1) NOT NULL, score double)`);
  // MariaDB's SEQUENCE engine (seq_1_to_N) generates the rows inside the server.
  await my.raw(`INSERT INTO events SELECT seq, seq % 10000, (seq % 100000) / 100.0, CONCAT('label-', seq % 997),
    CASE WHEN seq % 3 = 0 THEN NULL ELSE MD5(seq) END, TIMESTAMP '2025-01-01 00:00:00' + INTERVAL seq SECOND, seq % 2 = 0, seq * 0.5
    FROM seq_1_to_${Math.floor(n)}`);
  await my.destroy();

  let loader: { seconds: number } | undefined;
  let count = { seconds: NaN };
  if (hasPgloader) {
    await freshPostgresDatabase(DB_PGL);
    await admin('CHECKPOINT');
    progress(`MariaDB -> PG, ${n} rows: pgloader`);
    loader = await measure(async () => {
      execSync(
        `pgloader --quiet mysql://dm_test:dm_test@127.0.0.1:3306/${DB_MY} postgresql://postgres:postgres@127.0.0.1:5432/${DB_PGL}`,
        { stdio: 'ignore', shell: '/bin/bash' },
      );
    });
    const pgl = knexFactory({
      client: 'pg',
      connection: { ...PG, database: DB_PGL },
    });
    const loaded = Number(
      (await pgl.raw(`SELECT count(*) AS n FROM ${DB_MY}.events`)).rows[0].n,
    );
    await pgl.destroy();
    if (loaded !== n) throw new Error(`pgloader loaded ${loaded} of ${n} rows`);
    count = await countBoth(
      {
        client: 'mysql2',
        connection: { ...MY, database: DB_MY },
        table: 'events',
      },
      {
        client: 'pg',
        connection: { ...PG, database: DB_PGL },
        table: `${DB_MY}.events`,
      },
    );
  }

  await freshPostgresDatabase(DB_DST);
  await admin('CHECKPOINT');
  progress(`MariaDB -> PG, ${n} rows: ours (copy, verify, bisection run)`);
  const ours = await ourCopy(
    { ...MY, database: DB_MY },
    { ...PG, database: DB_DST },
    'events',
    false,
    n,
    'mysql2',
  );
  return { loader, ours, count };
}

function hasCommand(name: string) {
  try {
    execSync(`command -v ${name}`, { stdio: 'ignore', shell: '/bin/bash' });
    return true;
  } catch {
    return false;
  }
}

/** MariaDB -> PostgreSQL: Debian's pgloader against ours, same table, same run. */
async function mariadbToPostgres(): Promise<string> {
  try {
    await mysqlAdmin('SELECT 1');
  } catch (e) {
    return `not measured: MariaDB at 127.0.0.1:3306 as dm_test/dm_test (scripts/test.sh creates the user): ${e}`;
  }
  const hasPgloader = hasCommand('pgloader');
  for (const n of SIZES) {
    const rounds = [];
    for (let r = 0; r < REPEAT; r++)
      rounds.push(await mariadbRound(n, hasPgloader));
    const loader = hasPgloader
      ? median(rounds.map(r => r.loader!.seconds))
      : undefined;
    if (loader)
      row('MariaDB -> PG', 'pgloader (Debian)', n, loader, 'n/a (pgloader)');
    // Provision (the target table and its key) counts: pgloader's run builds them too.
    ourRows('MariaDB -> PG', n, rounds, loader, r => r.loadSeconds);
    if (!hasPgloader) rows.pop(); // count(*) needs pgloader's copy as the other side
  }
  return hasPgloader
    ? 'measured (rows above)'
    : 'pgloader is not installed (apt-get install pgloader): ours alone, no reference';
}

/** One round of the PostgreSQL scenarios on freshly seeded databases. */
async function pgRound(n: number) {
  await freshPostgresDatabase(DB_SRC);
  await freshPostgresDatabase(DB_DST);
  const srcDb = { ...PG, database: DB_SRC };
  const dstDb = { ...PG, database: DB_DST };
  const src = knexFactory({ client: 'pg', connection: srcDb });
  const dst = knexFactory({ client: 'pg', connection: dstDb });
  try {
    progress(`PG, ${n} rows: seeding`);
    await seed(src, 'events', n);
    // PostgreSQL -> PostgreSQL across two databases: psql \copy pipe vs ours.
    await dst.raw(
      `CREATE TABLE events_psql (id bigint PRIMARY KEY, user_id integer NOT NULL, amount numeric(12,2), label varchar(40) NOT NULL, note text, created_at timestamp NOT NULL, is_active boolean NOT NULL, score double precision)`,
    );
    await admin('CHECKPOINT');
    progress(`PG -> PG, ${n} rows: psql pipe`);
    const psql = await measure(async () => {
      execSync(
        `psql -h 127.0.0.1 -U postgres -d ${DB_SRC} -c "\\copy events to stdout" | psql -h 127.0.0.1 -U postgres -d ${DB_DST} -c "\\copy events_psql from stdin"`,
        { stdio: 'ignore', shell: '/bin/bash' },
      );
    });
    const pipeCount = await countBoth(
      { client: 'pg', connection: srcDb, table: 'events' },
      { client: 'pg', connection: dstDb, table: 'events_psql' },
    );
    await admin('CHECKPOINT');
    progress(`PG -> PG, ${n} rows: ours (copy, verify, bisection run)`);
    const pipe = await ourCopy(srcDb, dstDb, 'events', false, n);
    // Same database: hand-written INSERT ... SELECT vs our push-down. The pipe's
    // cutover left `events` a view over the source database's table: seed it afresh.
    await src.destroy();
    await freshPostgresDatabase(DB_SRC);
    const src2 = knexFactory({ client: 'pg', connection: srcDb });
    try {
      progress(`PG, same database, ${n} rows: seeding`);
      await seed(src2, 'events', n);
      await src2.raw(`CREATE TABLE events_hand (LIKE events INCLUDING ALL)`);
      await admin('CHECKPOINT');
      progress(`PG, same database, ${n} rows: INSERT … SELECT`);
      const hand = await measure(async () => {
        await src2.raw(
          `INSERT INTO events_hand SELECT * FROM events ORDER BY id`,
        );
      });
      const handCount = await countBoth(
        { client: 'pg', connection: srcDb, table: 'events' },
        { client: 'pg', connection: srcDb, table: 'events_hand' },
      );
      await admin('CHECKPOINT');
      progress(
        `PG, same database, ${n} rows: ours (copy, verify, bisection run)`,
      );
      const push = await ourCopy(srcDb, {}, 'events', true, n);
      return { psql, pipe, pipeCount, hand, push, handCount };
    } finally {
      await src2.destroy();
    }
  } finally {
    await dst.destroy();
  }
}

async function main() {
  progress(
    `sizes ${SIZES.join(
      ', ',
    )}; ${REPEAT} round(s) each; results print at the end`,
  );
  for (const n of ONLY === 'mariadb' ? [] : SIZES) {
    const rounds = [];
    for (let r = 0; r < REPEAT; r++) rounds.push(await pgRound(n));
    const psql = median(rounds.map(r => r.psql.seconds));
    const hand = median(rounds.map(r => r.hand.seconds));
    row(
      'PG -> PG, two databases',
      'psql \\copy piped to psql \\copy',
      n,
      psql,
      'n/a (psql)',
    );
    ourRows(
      'PG -> PG, two databases',
      n,
      rounds.map(r => ({ ours: r.pipe, count: r.pipeCount })),
      psql,
      r => r.copySeconds,
    );
    row(
      'PG, same database',
      'hand-written INSERT … SELECT',
      n,
      hand,
      'n/a (server)',
    );
    ourRows(
      'PG, same database',
      n,
      rounds.map(r => ({ ours: r.push, count: r.handCount })),
      hand,
      r => r.copySeconds,
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
    [
      'Ours: copy-step seconds (PG -> PG, same database) or provision + copy (MariaDB -> PG, the',
      'target table and its key made before the load); pgloader: its whole run, which builds',
      "the key after the load. vs reference: the reference's time ÷ ours (above 1: faster).",
      'verify: the verify step of the same migration; "rows changed": a second copy of which',
      `${CHANGED} rows were changed before verify, timed until verify fails naming the first ten;`,
      "both, and count(*) on both sides at once, as a share of the copy step's time.",
      "Peak RSS: the kernel's high-water mark of a fresh process per scenario and round",
      '(the highest over rounds), which runs the bisection run and the migration.',
      `Each figure is the median of ${REPEAT} rounds on freshly seeded data, after a CHECKPOINT.`,
    ].join('\n'),
  );
  progress('done');
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
