/* eslint-disable no-console */
/*
 * The tables `yarn bench:fleet` prints: one row per run, then each measure beside its
 * goal. Runs left out with `--runs` leave their rows out.
 */
import { printTable } from './benchSupport';
import type { CpuUse } from './cpuUse';
import type { MigrationTemplate } from './fleetHistory';
import type { StepTotals } from './fleetMeasures';

export type PageLatency = { name: string; medianMs: number; maxMs: number };

export type FleetRun = {
  label: string;
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
  /** Latencies of GET /campaigns/:id while the campaign ran. */
  pollMs: number[];
  /** Mean 1-minute load average of the machine while the campaign ran. */
  loadAverage: number;
  /** The machine's busy cores and each instance's CPU time over the campaign. */
  cpu: CpuUse;
  pages?: PageLatency[];
  template?: MigrationTemplate;
};

export type FleetRuns = {
  one?: FleetRun;
  pinned?: FleetRun;
  two?: FleetRun;
  history?: FleetRun;
};

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

const fmt = (n: number, digits = 1) =>
  Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
const verdict = (ok: boolean) => (ok ? 'yes' : '**no**');

function concurrencyCell(run: FleetRun): string {
  const caps = new Map(run.caps.map(c => [c.scope, c.cap]));
  return [...run.concurrency.entries()]
    .filter(([key]) => !key.startsWith('owner'))
    .map(([key, n]) => {
      const cap = caps.get(key) ?? caps.get(key.split(' ')[0]);
      return `${key}: ${n}${cap !== undefined ? ` (cap ${cap})` : ' (no cap)'}`;
    })
    .join('; ');
}

function runTable(runs: FleetRun[]) {
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
      'load avg',
      'cores busy',
      'instance CPU s',
      'PostgreSQL CPU s',
      'other CPU s',
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
      fmt(r.loadAverage),
      `${fmt(r.cpu.busyCores, 2)} of ${r.cpu.cores}`,
      r.cpu.instanceCpuS.map(s => fmt(s)).join(' / '),
      fmt(r.cpu.postgresCpuS),
      fmt(
        r.cpu.busyCpuS -
          r.cpu.postgresCpuS -
          r.cpu.instanceCpuS.reduce((a, b) => a + b, 0),
      ),
    ]),
  );
}

function goalRows(
  discoveryS: number,
  datasets: number,
  historySize: string,
  { one, pinned, two, history }: FleetRuns,
): string[][] {
  const runs = [one, pinned, two, history].filter(r => r) as FleetRun[];
  const rows = [
    [`discovery of ${datasets} tables`, `${fmt(discoveryS, 2)} s`, '', ''],
  ];
  const peak = Math.max(...runs.flatMap(r => r.peakRssMb));
  if (one) {
    rows.push(
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
        'max concurrency seen, one instance',
        concurrencyCell(one),
        'within caps',
        '',
      ],
    );
  }
  rows.push([
    'peak RSS of an instance, any run',
    `${peak} MB`,
    '≤ 500 MB',
    verdict(peak <= 500),
  ]);
  if (pinned) {
    rows.push([
      'migrations per second, one instance pinned to core 0',
      fmt(pinned.perSecond),
      '',
      '',
    ]);
  }
  if (two) {
    rows.push(
      [
        'migrations per second, two instances pinned to cores 0 and 1',
        fmt(two.perSecond),
        '',
        '',
      ],
      [
        'max concurrency seen, two instances',
        concurrencyCell(two),
        'within caps',
        '',
      ],
    );
  }
  if (two && pinned) {
    const ratio = two.perSecond / pinned.perSecond;
    rows.push([
      'two pinned instances / one pinned instance',
      `${fmt(ratio, 2)}×`,
      '≥ 1.5×',
      verdict(ratio >= 1.5),
    ]);
  }
  if (two && one) {
    rows.push([
      'two pinned instances / one unpinned instance',
      `${fmt(two.perSecond / one.perSecond, 2)}×`,
      '',
      '',
    ]);
  }
  if (history) {
    // Against the run without history on the same terms: unpinned, else pinned.
    const base = one ?? pinned;
    const ratio = base ? history.perSecond / base.perSecond : NaN;
    rows.push([
      `migrations per second with ${historySize} in history`,
      base
        ? `${fmt(history.perSecond)} (${fmt(ratio, 2)}× of ${base.label})`
        : fmt(history.perSecond),
      'unchanged (≥ 0.9×)',
      base ? verdict(ratio >= 0.9) : '',
    ]);
    for (const p of history.pages ?? []) {
      rows.push([
        `${p.name} at ${historySize} in history (median, max)`,
        `${fmt(p.medianMs, 0)} ms, ${fmt(p.maxMs, 0)} ms`,
        '≤ 1 s',
        verdict(p.maxMs <= 1000),
      ]);
    }
  }
  for (const run of [one, history]) {
    if (!run) continue;
    const max = Math.max(...run.pollMs);
    rows.push([
      `GET /campaigns/:id while the campaign ran, ${run.label} (median, max)`,
      `${fmt(median(run.pollMs), 0)} ms, ${fmt(max, 0)} ms`,
      '≤ 1 s',
      verdict(max <= 1000),
    ]);
  }
  return rows;
}

export function printFleetReport(options: {
  discoveryS: number;
  datasets: number;
  slots: number;
  maxRunning: number;
  history: number;
  runs: FleetRuns;
}) {
  const { runs } = options;
  const historySize = options.history.toLocaleString('en-US');
  console.log(
    `\n## yarn bench:fleet: ${options.datasets} tiny tables, ${options.slots} worker slots an instance, campaign cap ${options.maxRunning}\n`,
  );
  runTable(
    [runs.one, runs.pinned, runs.two, runs.history].filter(
      r => r,
    ) as FleetRun[],
  );
  console.log('');
  printTable(
    ['measure', 'result', 'goal', 'met'],
    goalRows(options.discoveryS, options.datasets, historySize, runs),
  );
  const emptyPages = (runs.one?.pages ?? [])
    .map(p => `${p.name} ${fmt(p.medianMs, 0)} ms`)
    .join('; ');
  console.log(`
Overhead: the worker slots' time per migration not spent inside a step, i.e.
(min(slots, campaign cap) × wall time - Σ of every step's finished_at - started_at) / migrations,
from dm_steps. A step's own time is the databases' work plus the step's own bookkeeping.
The wall time includes planning (the campaign loop plans each dataset once and queues its
stored plan). Max concurrency: the campaign's migrations open at once, each from its first
step's start to its last step's finish. The pages' calls without history: ${
    emptyPages || 'not measured'
  }.
History: copies of a real migration of the first run (plan, steps, events), one every 50 s
back from now. The machine's 2 cores are shared with PostgreSQL (unpinned) and with
whatever else runs (load avg: the machine's mean 1-minute load average during the run;
2 means both cores busy): read ratios, not absolutes. Cores busy: the machine's busy share of
its cores over the campaign (/proc/stat, idle and iowait not busy); instance CPU s: the
instances' own CPU time; PostgreSQL CPU s: its backends of the state and the datasets'
databases (sampled, so a backend that ends keeps what it used); other CPU s: the rest of
the busy time (the bench itself, anything else running). A second instance can only add throughput where the first left a core idle.`);
}
