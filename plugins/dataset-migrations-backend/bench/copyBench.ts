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

const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', password: 'postgres' };
const SIZES = (process.env.BENCH_ROWS ?? '100000,1000000').split(',').map(Number);
const rows: string[][] = [];
const quietLogger: any = { info() {}, warn() {}, error: console.error, debug() {}, child: () => quietLogger };

async function admin(sql: string) {
  const k = knexFactory({ client: 'pg', connection: { ...PG, database: 'postgres' } });
  try {
    await k.raw(sql);
  } finally {
    await k.destroy();
  }
}

async function freshDb(name: string) {
  await admin(`DROP DATABASE IF EXISTS ${name}`);
  await admin(`CREATE DATABASE ${name}`);
}

async function seed(k: Knex, table: string, n: number) {
  await k.raw(`CREATE TABLE ${table} (id bigint PRIMARY KEY, user_id integer NOT NULL, amount numeric(12,2), label varchar(40) NOT NULL,
    note text, created_at timestamp NOT NULL, is_active boolean NOT NULL, score double precision)`);
  await k.raw(`INSERT INTO ${table} SELECT g, g % 10000, (g % 100000) / 100.0, 'label-' || (g % 997), CASE WHEN g % 3 = 0 THEN NULL ELSE md5(g::text) END,
    TIMESTAMP '2025-01-01' + (g || ' seconds')::interval, g % 2 = 0, g * 0.5 FROM generate_series(1, ${n}) g`);
  await k.raw(`ANALYZE ${table}`);
}

/** Samples this process's RSS while `work` runs; returns seconds and peak MB. */
async function measure(work: () => Promise<void>): Promise<{ seconds: number; peakMb: number }> {
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
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, peakMb: Math.round(peak / 1048576) };
}

async function ourCopy(source: object, target: object, table: string, sameDb: boolean) {
  const registry = new ConnectionRegistry(
    new Map([
      ['src', { name: 'src', client: 'pg', connection: source }],
      ['dst', { name: 'dst', client: 'pg', connection: sameDb ? source : target }],
    ]) as any,
  );
  const pluginKnex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  await migrateStore({ getClient: async () => pluginKnex } as any);
  const store = new KnexMigrationStore(pluginKnex);
  try {
    const plan = await planFor(registry, { connection: 'src', table }, [
      { name: 'bench', match: {}, allowDestructive: false, computed: [], target: { connection: 'dst', table: `${table}_copy` } },
    ]);
    const migration = await store.createMigration({ entityRef: plan.entityRef, connection: 'src', ownerRef: null, plan, createdBy: 'bench' });
    const runner = new MigrationRunner({ store, connections: registry, settings: DEFAULT_EXECUTOR_SETTINGS, logger: quietLogger });
    let copySeconds = 0;
    const m = await measure(async () => {
      await runner.run(migration, 'bench', new AbortController().signal);
      const copy = (await store.getMigration(migration.id))!.steps.find(s => s.name === 'copy')!;
      copySeconds = (Date.parse(copy.finishedAt!) - Date.parse(copy.startedAt!)) / 1000;
    });
    const status = (await store.getMigration(migration.id))!.status;
    if (status !== 'awaiting_cleanup') throw new Error(`bench migration ended ${status}`);
    return { seconds: copySeconds, peakMb: m.peakMb, strategy: plan.copyStrategy };
  } finally {
    await registry.destroy();
    await pluginKnex.destroy();
  }
}

function row(scenario: string, tool: string, n: number, seconds: number, peakMb: number | string, ref?: number) {
  rows.push([scenario, tool, n.toLocaleString('en-US'), seconds.toFixed(2), Math.round(n / seconds).toLocaleString('en-US'), String(peakMb), ref ? `${(ref / seconds).toFixed(2)}×` : '']);
}

async function main() {
  for (const n of SIZES) {
    await freshDb('dm_bench_src');
    await freshDb('dm_bench_dst');
    const src = knexFactory({ client: 'pg', connection: { ...PG, database: 'dm_bench_src' } });
    const dst = knexFactory({ client: 'pg', connection: { ...PG, database: 'dm_bench_dst' } });
    await seed(src, 'events', n);
    await dst.raw(`CREATE TABLE events (LIKE events_tmpl)`).catch(() => undefined);

    // PostgreSQL -> PostgreSQL across two databases: psql \copy pipe vs ours.
    await dst.raw(`DROP TABLE IF EXISTS events_psql`);
    await dst.raw(`CREATE TABLE events_psql (id bigint PRIMARY KEY, user_id integer NOT NULL, amount numeric(12,2), label varchar(40) NOT NULL, note text, created_at timestamp NOT NULL, is_active boolean NOT NULL, score double precision)`);
    const psql = await measure(async () => {
      execSync(
        `psql -h 127.0.0.1 -U postgres -d dm_bench_src -c "\\copy events to stdout" | psql -h 127.0.0.1 -U postgres -d dm_bench_dst -c "\\copy events_psql from stdin"`,
        { stdio: 'ignore', shell: '/bin/bash' },
      );
    });
    const ours = await ourCopy({ ...PG, database: 'dm_bench_src' }, { ...PG, database: 'dm_bench_dst' }, 'events', false);
    row('PG -> PG, two databases', 'psql \\copy | psql \\copy', n, psql.seconds, 'n/a (psql)');
    row('PG -> PG, two databases', `dataset-migrations (${ours.strategy})`, n, ours.seconds, ours.peakMb, psql.seconds);

    // Same database: hand-written INSERT ... SELECT vs our push-down.
    const hand = await measure(async () => {
      await src.raw(`CREATE TABLE events_hand (LIKE events INCLUDING ALL)`);
      await src.raw(`INSERT INTO events_hand SELECT * FROM events ORDER BY id`);
    });
    const push = await ourCopy({ ...PG, database: 'dm_bench_src' }, {}, 'events', true);
    row('PG, same database', 'hand-written INSERT … SELECT', n, hand.seconds, 'n/a (server)');
    row('PG, same database', `dataset-migrations (${push.strategy})`, n, push.seconds, push.peakMb, hand.seconds);
    await src.destroy();
    await dst.destroy();
  }
  let pgloader = 'not measured';
  try {
    execSync('command -v pgloader', { stdio: 'ignore', shell: '/bin/bash' });
    pgloader = 'installed, comparison not yet scripted';
  } catch {
    pgloader = 'not installed here (apt-get install pgloader)';
  }

  const header = ['scenario', 'tool', 'rows', 'seconds', 'rows/s', 'peak RSS MB', 'vs reference'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`);
  rows.forEach(r => console.log(line(r)));
  console.log(`\nMariaDB -> PostgreSQL against pgloader: ${pgloader}.`);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
