/* eslint-disable no-console */
/*
 * yarn bench:fleet [--datasets 1000] [--slots 4] [--history 100000] [--max-running N]
 *
 * A fleet of tiny PostgreSQL tables, discovered, then migrated by one campaign in
 * `auto` mode through the HTTP API of real backend instances (child processes, so
 * each one's RSS is its own): one instance, one pinned to a core, two pinned to a core
 * each, and one with a long synthetic history. A benchmark, not a test: it prints a
 * table of each measure beside its goal, and its progress on stderr.
 */
import { measureMachineCpu } from './cpuUse';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { migrateStore } from '../src/store/migrateStore';
import { freshPostgresDatabase, PG, runOnce } from './benchSupport';
import {
  CONNECTION,
  createFleetTables,
  DATA_SCHEMA,
  discoverFleet,
  warehouseConnection,
} from './fleetData';
import { insertHistory, MigrationTemplate, readTemplate } from './fleetHistory';
import { copiesPerInstance, maxConcurrency, stepTotals } from './fleetMeasures';
import {
  FleetRun,
  FleetRuns,
  median,
  PageLatency,
  printFleetReport,
} from './fleetReport';
import {
  cpuMeter,
  FleetInstance,
  memoryOf,
  postgresBackendsOf,
  startFleetInstance,
  stopFleetInstance,
} from './fleetProcess';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(
      `--${name} must be followed by a whole number, e.g. --${name} ${fallback}`,
    );
  }
  return value;
}

const DATASETS = flag('datasets', 1000);
// The executor's default (ExecutorSettings).
const SLOTS = flag('slots', 4);
const HISTORY = flag('history', 100_000);
// The campaign's cap: every slot of two instances, so that it paces without binding.
const MAX_RUNNING = flag('max-running', SLOTS * 2);
const KEEP = process.argv.includes('--keep');
const RUN_NAMES = ['one', 'pinned', 'two', 'history'] as const;
type RunName = (typeof RUN_NAMES)[number];
const LABELS: Record<RunName, string> = {
  one: 'one instance',
  pinned: 'one instance, core 0',
  two: 'two instances, cores 0 and 1',
  history: `one instance, ${HISTORY} in history`,
};
const RUNS = runsFlag();

/** `--runs one,pinned,two,history` (the default: all four, in that order). */
function runsFlag(): RunName[] {
  const at = process.argv.indexOf('--runs');
  if (at < 0) return [...RUN_NAMES];
  const names = String(process.argv[at + 1] ?? '').split(',');
  const unknown = names.filter(n => !RUN_NAMES.includes(n as RunName));
  if (unknown.length) {
    throw new Error(
      `--runs takes a comma-separated list of ${RUN_NAMES.join(
        ', ',
      )}; unknown: ${unknown.join(', ')}`,
    );
  }
  return RUN_NAMES.filter(n => names.includes(n));
}

// FLEET_DB_PREFIX names the two databases apart when several people bench one server.
const DB_PREFIX = process.env.FLEET_DB_PREFIX ?? 'dm_bench_fleet';
if (!/^[a-z_][a-z0-9_]*$/.test(DB_PREFIX)) {
  throw new Error('FLEET_DB_PREFIX takes lower-case letters, digits and _');
}
const DATA_DB = `${DB_PREFIX}_data`;
const STATE_DB = `${DB_PREFIX}_state`;
const API = '/api/dataset-migrations';
const AUTH = {
  authorization: mockCredentials.user.header('user:default/admin'),
};
const DONE = ['awaiting_cleanup', 'completed'];
const STOPPED = [
  'failed',
  'rolled_back',
  'skipped',
  'blocked',
  'awaiting_approval',
];

const log = (message: string) =>
  process.stderr.write(
    `[bench:fleet ${new Date().toISOString().slice(11, 19)}] ${message}\n`,
  );
const seconds = (since: bigint) =>
  Number(process.hrtime.bigint() - since) / 1e9;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function call(
  instance: FleetInstance,
  method: 'GET' | 'POST',
  url: string,
  body?: object,
): Promise<{ ms: number; body: any }> {
  const started = process.hrtime.bigint();
  const res = await fetch(`${instance.baseUrl}${API}${url}`, {
    method,
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const ms = seconds(started) * 1000;
  if (!res.ok)
    throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 500)}`);
  return { ms, body: JSON.parse(text) };
}

/** Each API call the campaign page and the history page make, timed five times. */
async function pageLatencies(
  instance: FleetInstance,
  campaignId: string,
): Promise<PageLatency[]> {
  const calls = [
    `/campaigns/${campaignId}`,
    `/campaigns/${campaignId}/datasets?limit=50`,
    '/migrations?limit=50',
    '/migrations/stats',
  ];
  const out: PageLatency[] = [];
  for (const url of calls) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++)
      times.push((await call(instance, 'GET', url)).ms);
    out.push({
      name: `GET ${url.replace(campaignId, ':id')}`,
      medianMs: median(times),
      maxMs: Math.max(...times),
    });
  }
  return out;
}

async function runCampaign(
  label: string,
  entitiesFile: string,
  options: {
    cores: Array<number | undefined>;
    history?: MigrationTemplate;
    pages?: boolean;
  },
): Promise<FleetRun> {
  log(`${label}: creating ${DATASETS} tables in ${DATA_DB}.${DATA_SCHEMA}`);
  await freshPostgresDatabase(DATA_DB);
  await createFleetTables(DATA_DB, DATASETS, n => {
    if (n % 1000 === 0 || n === DATASETS) log(`  ${n} tables`);
  });
  await freshPostgresDatabase(STATE_DB);
  const state: Knex = knexFactory({
    client: 'pg',
    connection: { ...PG, database: STATE_DB },
  });
  const instances: FleetInstance[] = [];
  let sampler: NodeJS.Timeout | undefined;
  try {
    await migrateStore({ getClient: async () => state } as any);
    if (options.history) {
      log(`${label}: writing ${HISTORY} finished migrations into the history`);
      const started = process.hrtime.bigint();
      await insertHistory(state, options.history, HISTORY, n =>
        log(`  ${n} in history`),
      );
      log(`  history written in ${seconds(started).toFixed(1)} s`);
    }
    const config = {
      connections: { [CONNECTION]: warehouseConnection(DATA_DB) },
      // Each table moves to a new name beside it: a real copy, verify and cutover.
      rules: [
        {
          name: 'bench-v2',
          match: { connection: CONNECTION },
          target: { table: '{table}_v2' },
        },
      ],
      executor: { workerSlots: SLOTS },
    };
    for (const core of options.cores) {
      instances.push(
        await startFleetInstance(
          { stateDb: { ...PG, database: STATE_DB }, config, entitiesFile },
          core,
        ),
      );
    }
    const pids = instances.map(i => i.child.pid!);
    const startRssMb = pids.map(pid => memoryOf(pid).rssMb);
    const peakRssMb = [...startRssMb];
    const sample = () =>
      pids.forEach((pid, i) => {
        try {
          peakRssMb[i] = Math.max(peakRssMb[i], memoryOf(pid).peakMb);
        } catch {
          // The instance is gone; its exit is reported elsewhere.
        }
      });
    // The machine's load while the campaign ran: other work on the 2 cores shows here.
    const loads: number[] = [];
    // The CPU the instances and their PostgreSQL backends use for the campaign: what a
    // migration costs, whatever else the 2 cores run (the load moves wall times).
    const meters = [
      cpuMeter(() => pids),
      cpuMeter(() => postgresBackendsOf([STATE_DB])),
      cpuMeter(() => postgresBackendsOf([DATA_DB])),
    ];
    // Each instance on its own, for the table's split between them.
    const instanceMeters = pids.map(pid => cpuMeter(() => [pid]));
    const allMeters = [...meters, ...instanceMeters];
    sampler = setInterval(() => {
      sample();
      loads.push(os.loadavg()[0]);
      allMeters.forEach(m => m.sample());
    }, 200);
    log(
      `${label}: ${instances.length} instance(s) ready (RSS ${startRssMb.join(
        ', ',
      )} MB); creating the campaign`,
    );

    const [api] = instances;
    const machineCpu = measureMachineCpu();
    allMeters.forEach(m => m.start());
    const started = process.hrtime.bigint();
    const created = await call(api, 'POST', '/campaigns', {
      name: `bench: ${label}`,
      selector: { connections: [CONNECTION] },
      mode: 'auto',
      pacing: { maxRunning: MAX_RUNNING, startsPerMinute: 10_000 },
      failureBudget: { window: 100, maxFailureRate: 0.5 },
    });
    const id: string = created.body.campaign.id;
    const total: number = created.body.campaign.total;
    if (total !== DATASETS)
      throw new Error(`the campaign matched ${total} of ${DATASETS} datasets`);
    let enqueueS = NaN;
    let campaign: any;
    const pollMs: number[] = [];
    let lastLog = 0;
    const deadline = Math.max(600, DATASETS);
    for (;;) {
      const polled = await call(api, 'GET', `/campaigns/${id}`);
      pollMs.push(polled.ms);
      campaign = polled.body.campaign;
      const counts: Record<string, number> = campaign.counts;
      const count = (states: string[]) =>
        states.reduce((n, s) => n + (counts[s] ?? 0), 0);
      const elapsed = seconds(started);
      if (Number.isNaN(enqueueS) && count(['matched', 'planned']) === 0)
        enqueueS = elapsed;
      if (count(DONE) === total) break;
      if (count([...DONE, ...STOPPED]) === total) {
        log(
          `${label}: every dataset stopped, not all moved: ${JSON.stringify(
            campaign.counts,
          )}`,
        );
        break;
      }
      if (elapsed > deadline)
        throw new Error(
          `${label}: not done after ${deadline} s: ${JSON.stringify(
            campaign.counts,
          )}`,
        );
      if (elapsed - lastLog >= 5) {
        lastLog = elapsed;
        log(
          `  ${elapsed.toFixed(0)} s: ${count(
            DONE,
          )}/${total} moved, ${JSON.stringify(campaign.counts)}`,
        );
      }
      await sleep(250);
    }
    const wallS = seconds(started);
    sample();
    allMeters.forEach(m => m.sample());
    log(
      `${label}: ${
        campaign.counts.awaiting_cleanup ?? 0
      } awaiting cleanup after ${wallS.toFixed(1)} s`,
    );
    const perDataset = (ms: number) => (ms / DATASETS).toFixed(1);
    const [instanceMs, stateMs, dataMs] = meters.map(m => m.usedMs());
    const cpuUse = machineCpu({
      instanceCpuS: instanceMeters.map(m => m.usedMs() / 1000),
      postgresCpuS: (stateMs + dataMs) / 1000,
    });
    log(
      `${label}: CPU per dataset (planning and migration): instance(s) ${perDataset(
        instanceMs,
      )} ms; PostgreSQL, the state database's backends ${perDataset(
        stateMs,
      )} ms, the datasets' ${perDataset(dataMs)} ms; together ${perDataset(
        instanceMs + stateMs + dataMs,
      )} ms`,
    );
    const pages = options.pages ? await pageLatencies(api, id) : undefined;
    const steps = await stepTotals(state, id);
    const concurrency = SLOTS * instances.length;
    const effective = Math.min(concurrency, MAX_RUNNING);
    return {
      label,
      enqueueS,
      wallS,
      perSecond: steps.migrations / wallS,
      steps,
      overheadMs:
        (effective * wallS * 1000 - steps.stepMs) /
        Math.max(1, steps.migrations),
      startRssMb,
      peakRssMb,
      concurrency: await maxConcurrency(state, id),
      caps: campaign.caps ?? [],
      copies: await copiesPerInstance(state, id),
      counts: campaign.counts,
      pollMs,
      loadAverage: loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length),
      cpu: cpuUse,
      pages,
      template: options.history ? undefined : await readTemplate(state, id),
    };
  } finally {
    if (sampler) clearInterval(sampler);
    for (const instance of instances) await stopFleetInstance(instance);
    await state.destroy();
  }
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dm-bench-fleet-'));
  try {
    log(`discovery: creating ${DATASETS} tables`);
    await freshPostgresDatabase(DATA_DB);
    await createFleetTables(DATA_DB, DATASETS, () => {});
    const discovered = await discoverFleet(DATA_DB);
    log(
      `discovery: ${
        discovered.entities.length
      } datasets in ${discovered.seconds.toFixed(2)} s`,
    );
    const entitiesFile = path.join(dir, 'entities.json');
    writeFileSync(entitiesFile, JSON.stringify(discovered.entities));

    const runs: FleetRuns = {};
    // Later runs copy their history from a real migration of an earlier run.
    const template = () =>
      [runs.one, runs.pinned, runs.two].find(r => r?.template)?.template;
    for (const name of RUNS) {
      if (name === 'history' && !template()) {
        throw new Error(
          '--runs history needs an earlier run to copy its history from, e.g. --runs one,history',
        );
      }
      runs[name] = await runCampaign(
        LABELS[name],
        entitiesFile,
        {
          one: { cores: [undefined], pages: true },
          pinned: { cores: [0] },
          two: { cores: [0, 1] },
          history: { cores: [undefined], history: template(), pages: true },
        }[name],
      );
    }
    printFleetReport({
      discoveryS: discovered.seconds,
      datasets: DATASETS,
      slots: SLOTS,
      maxRunning: MAX_RUNNING,
      history: HISTORY,
      runs,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (!KEEP) {
      for (const db of [DATA_DB, STATE_DB]) {
        await runOnce(
          'pg',
          { ...PG, database: 'postgres' },
          `DROP DATABASE IF EXISTS ${db}`,
        );
      }
    }
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
