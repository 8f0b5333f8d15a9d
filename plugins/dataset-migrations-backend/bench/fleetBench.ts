/* eslint-disable no-console */
/*
 * yarn bench:fleet [--datasets 1000] [--slots 2] [--history 100000] [--max-running N]
 *
 * A fleet of tiny PostgreSQL tables, discovered, then migrated by one campaign in
 * `auto` mode through the HTTP API of real backend instances (child processes, so
 * each one's RSS is its own): one instance, one pinned to a core, two pinned to a core
 * each, and one with a long synthetic history. A benchmark, not a test: it prints a
 * table of each measure beside its goal, and its progress on stderr.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { migrateStore } from '../src/store/migrateStore';
import { freshPostgresDatabase, PG, printTable, runOnce } from './benchSupport';
import {
  CONNECTION,
  createFleetTables,
  DATA_SCHEMA,
  discoverFleet,
  warehouseConnection,
} from './fleetData';
import { insertHistory, MigrationTemplate, readTemplate } from './fleetHistory';
import {
  copiesPerInstance,
  maxConcurrency,
  StepTotals,
  stepTotals,
} from './fleetMeasures';
import {
  FleetInstance,
  memoryOf,
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
const SLOTS = flag('slots', 2);
const HISTORY = flag('history', 100_000);
// The campaign's cap: every slot of two instances, so that it paces without binding.
const MAX_RUNNING = flag('max-running', SLOTS * 2);
const KEEP = process.argv.includes('--keep');

const DATA_DB = 'dm_bench_fleet_data';
const STATE_DB = 'dm_bench_fleet_state';
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

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

type PageLatency = { name: string; medianMs: number; maxMs: number };

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

type Run = {
  label: string;
  instances: number;
  enqueueS: number;
  wallS: number;
  perSecond: number;
  steps: StepTotals;
  /** Slot time per migration not spent inside a step. */
  overheadMs: number;
  startRssMb: number[];
  peakRssMb: number[];
  concurrency: Map<string, number>;
  caps: Array<{ scope: string; cap: number }>;
  copies: number[];
  counts: Record<string, number>;
  pollMs: number[];
  pages?: PageLatency[];
  template?: MigrationTemplate;
};

async function runCampaign(
  label: string,
  entitiesFile: string,
  options: {
    cores: Array<number | undefined>;
    history?: MigrationTemplate;
    pages?: boolean;
  },
): Promise<Run> {
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
    sampler = setInterval(sample, 200);
    log(
      `${label}: ${instances.length} instance(s) ready (RSS ${startRssMb.join(
        ', ',
      )} MB); creating the campaign`,
    );

    const [api] = instances;
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
    log(
      `${label}: ${
        campaign.counts.awaiting_cleanup ?? 0
      } awaiting cleanup after ${wallS.toFixed(1)} s`,
    );
    const pages = options.pages ? await pageLatencies(api, id) : undefined;
    const steps = await stepTotals(state, id);
    const concurrency = SLOTS * instances.length;
    const effective = Math.min(concurrency, MAX_RUNNING);
    return {
      label,
      instances: instances.length,
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
      pages,
      template: options.history ? undefined : await readTemplate(state, id),
    };
  } finally {
    if (sampler) clearInterval(sampler);
    for (const instance of instances) await stopFleetInstance(instance);
    await state.destroy();
  }
}

const fmt = (n: number, digits = 1) =>
  Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
const verdict = (ok: boolean) => (ok ? 'yes' : '**no**');

function concurrencyCell(run: Run): string {
  const caps = new Map(run.caps.map(c => [c.scope, c.cap]));
  return [...run.concurrency.entries()]
    .filter(
      ([key]) =>
        key === 'campaign' ||
        key.startsWith('source') ||
        key.startsWith('target'),
    )
    .map(([key, n]) => {
      const cap = caps.get(key) ?? caps.get(key.split(' ')[0]);
      return `${key}: ${n}${cap !== undefined ? ` (cap ${cap})` : ' (no cap)'}`;
    })
    .join('; ');
}

function report(discoveryS: number, runs: Run[]) {
  const [one, pinned, two, history] = runs;
  console.log(
    `\n## yarn bench:fleet: ${DATASETS} tiny tables, ${SLOTS} worker slots an instance, campaign cap ${MAX_RUNNING}\n`,
  );
  printTable(
    [
      'run',
      'enqueue s',
      'wall s',
      'migrations/s',
      'steps ms/migration (median)',
      'gap between steps ms (median)',
      'overhead ms/migration',
      'RSS MB start → peak',
      'copies per instance',
      'retried steps',
      'states at the end',
    ],
    runs.map(r => [
      r.label,
      fmt(r.enqueueS),
      fmt(r.wallS),
      fmt(r.perSecond),
      fmt(r.steps.medianStepMs, 0),
      fmt(r.steps.medianGapMs, 0),
      fmt(r.overheadMs, 0),
      r.startRssMb.map((s, i) => `${s} → ${r.peakRssMb[i]}`).join(', '),
      r.copies.join(' / '),
      String(r.steps.retriedSteps),
      Object.entries(r.counts)
        .filter(([, n]) => n > 0)
        .map(([s, n]) => `${s} ${n}`)
        .join(', '),
    ]),
  );
  const ratio = two.perSecond / pinned.perSecond;
  const historyRatio = history.perSecond / one.perSecond;
  const peak = Math.max(...runs.flatMap(r => r.peakRssMb));
  const pageRows = (history.pages ?? []).map(p => [
    `${p.name} at ${HISTORY.toLocaleString('en-US')} in history`,
    `${fmt(p.medianMs, 0)} ms (max ${fmt(p.maxMs, 0)})`,
    '≤ 1 s',
    verdict(p.maxMs <= 1000),
  ]);
  const emptyPages = (one.pages ?? [])
    .map(p => `${p.name} ${fmt(p.medianMs, 0)} ms`)
    .join('; ');
  console.log('');
  printTable(
    ['measure', 'result', 'goal', 'met'],
    [
      [`discovery of ${DATASETS} tables`, `${fmt(discoveryS, 2)} s`, '', ''],
      [
        'campaign enqueue, one instance (POST → none matched or planned)',
        `${fmt(one.enqueueS)} s`,
        '',
        '',
      ],
      [
        'wall time, one instance (POST → all awaiting cleanup)',
        `${fmt(one.wallS)} s`,
        '',
        '',
      ],
      [
        'migrations per second, one instance',
        fmt(one.perSecond),
        '≥ 50',
        verdict(one.perSecond >= 50),
      ],
      [
        'orchestration overhead per migration, one instance',
        `${fmt(one.overheadMs, 0)} ms`,
        '≤ 60 ms',
        verdict(one.overheadMs <= 60),
      ],
      [
        'peak RSS of an instance, any run',
        `${peak} MB`,
        '≤ 500 MB',
        verdict(peak <= 500),
      ],
      [
        'max concurrency seen, one instance',
        concurrencyCell(one),
        'within caps',
        '',
      ],
      [
        'max concurrency seen, two instances',
        concurrencyCell(two),
        'within caps',
        '',
      ],
      [
        'migrations per second, one instance pinned to core 0',
        fmt(pinned.perSecond),
        '',
        '',
      ],
      [
        'migrations per second, two instances pinned to cores 0 and 1',
        fmt(two.perSecond),
        '',
        '',
      ],
      [
        'two pinned instances / one pinned instance',
        `${fmt(ratio, 2)}×`,
        '≥ 1.5×',
        verdict(ratio >= 1.5),
      ],
      [
        'two pinned instances / one unpinned instance',
        `${fmt(two.perSecond / one.perSecond, 2)}×`,
        '',
        '',
      ],
      [
        `migrations per second with ${HISTORY.toLocaleString(
          'en-US',
        )} in history`,
        `${fmt(history.perSecond)} (${fmt(historyRatio, 2)}× of none)`,
        'unchanged (≥ 0.9×)',
        verdict(historyRatio >= 0.9),
      ],
      ...pageRows,
      [
        'GET /campaigns/:id while the campaign ran, one instance (median, max)',
        `${fmt(median(one.pollMs), 0)} ms, ${fmt(
          Math.max(...one.pollMs),
          0,
        )} ms`,
        '≤ 1 s',
        verdict(Math.max(...one.pollMs) <= 1000),
      ],
      [
        `… with ${HISTORY.toLocaleString('en-US')} in history`,
        `${fmt(median(history.pollMs), 0)} ms, ${fmt(
          Math.max(...history.pollMs),
          0,
        )} ms`,
        '≤ 1 s',
        verdict(Math.max(...history.pollMs) <= 1000),
      ],
    ],
  );
  console.log(`
Overhead: the worker slots' time per migration not spent inside a step, that is
(min(slots, campaign cap) × wall time - Σ over migrations of each step's finished_at - started_at)
/ migrations, from dm_steps; the steps' own time is the databases' work plus the step's
own bookkeeping. The wall time includes planning (the campaign loop plans each dataset
once and queues its stored plan). Max concurrency: the campaign's migrations open at once,
each from its first step's start to its last step's finish. The pages' calls without
history: ${
    emptyPages || 'n/a'
  }. History: copies of a real migration of the first run
(plan, steps, events), one every 50 s back from now. This machine's 2 cores are shared
with PostgreSQL (unpinned) and with whatever else runs: read ratios, not absolutes.`);
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

    const one = await runCampaign('one instance', entitiesFile, {
      cores: [undefined],
      pages: true,
    });
    const pinned = await runCampaign('one instance, core 0', entitiesFile, {
      cores: [0],
    });
    const two = await runCampaign(
      'two instances, cores 0 and 1',
      entitiesFile,
      { cores: [0, 1] },
    );
    const history = await runCampaign(
      `one instance, ${HISTORY} in history`,
      entitiesFile,
      {
        cores: [undefined],
        history: one.template,
        pages: true,
      },
    );
    report(discovered.seconds, [one, pinned, two, history]);
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
