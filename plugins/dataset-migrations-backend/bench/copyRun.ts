/* eslint-disable no-console */
/*
 * One run of the executor's copy for `yarn bench:copy`, in a process of its own so its
 * peak RSS is this scenario's alone (the kernel's high-water mark, not a sample).
 * Argument: a JSON `CopyRunRequest`; prints one line `RESULT <json CopyRunResult>`.
 */
import knexFactory from 'knex';
import { ConnectionRegistry } from '../src/connections/ConnectionRegistry';
import { DEFAULT_EXECUTOR_SETTINGS } from '../src/execute/ExecutorSettings';
import { MigrationRunner } from '../src/execute/MigrationRunner';
import { catchUpStep } from '../src/execute/steps/catchUpStep';
import { copyStep } from '../src/execute/steps/copyStep';
import { provisionStep } from '../src/execute/steps/provisionStep';
import { verifyStep } from '../src/execute/steps/verifyStep';
import { KnexMigrationStore } from '../src/store/KnexMigrationStore';
import { migrateStore } from '../src/store/migrateStore';
import { planFor } from '../src/__testUtils__/planFor';
import type { StepContext } from '../src/execute/steps/Step';
import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import { PG, quietLogger, runOnce } from './benchSupport';

export type CopyRunRequest = {
  source: object;
  target: object;
  sourceClient: 'pg' | 'mysql2';
  table: string;
  sameDb: boolean;
  rows: number;
  /** Also time a verify that has to find `changed` tampered rows (the bisection path). */
  changed?: number;
};

export type CopyRunResult = {
  strategy: string;
  /** The copy step's seconds. */
  copySeconds: number;
  /** Provision and copy: what pgloader's whole run is compared with. */
  loadSeconds: number;
  verifySeconds: number;
  /** The verify that found the tampered rows, and the keys it named. */
  bisect?: { seconds: number; copySeconds: number; named: number[] };
  peakMb: number;
};

/**
 * With BENCH_TRACE=<ms>, every statement that took longer is printed on stderr with its
 * time: where a step's time goes, statement by statement.
 */
function traced(registry: ConnectionRegistry) {
  const threshold = Number(process.env.BENCH_TRACE);
  if (!threshold) return registry;
  for (const name of ['src', 'dst']) {
    const started = new Map<string, bigint>();
    registry
      .get(name)
      .on('query', (q: any) =>
        started.set(q.__knexQueryUid, process.hrtime.bigint()),
      )
      .on('query-response', (_r: unknown, q: any) => {
        const at = started.get(q.__knexQueryUid);
        started.delete(q.__knexQueryUid);
        const ms = at ? Number(process.hrtime.bigint() - at) / 1e6 : 0;
        if (ms >= threshold)
          console.error(
            `  ${name} ${ms.toFixed(0)} ms: ${String(q.sql)
              .replace(/\s+/g, ' ')
              .slice(0, 160)}`,
          );
      });
  }
  return registry;
}

function registryFor(req: CopyRunRequest) {
  return traced(
    new ConnectionRegistry(
      new Map([
        [
          'src',
          { name: 'src', client: req.sourceClient, connection: req.source },
        ],
        [
          'dst',
          {
            name: 'dst',
            client: 'pg',
            connection: req.sameDb ? req.source : req.target,
          },
        ],
      ]) as any,
    ),
  );
}

function planTo(registry: ConnectionRegistry, req: CopyRunRequest, to: string) {
  return planFor(registry, { connection: 'src', table: req.table }, [
    {
      name: 'bench',
      match: {},
      allowDestructive: false,
      computed: [],
      target: { connection: 'dst', table: to },
    },
  ]);
}

type StepRecord = { checkpoint?: unknown; events: Array<{ data?: any }> };

/** A step's context over the registry's `src` and `dst`, its state kept in `record`. */
function stepContext(
  registry: ConnectionRegistry,
  plan: Plan,
  record: StepRecord,
): StepContext {
  const side = (connection: string) => ({
    connection,
    knex: registry.get(connection),
    dialect: registry.dialect(connection),
  });
  return {
    migrationId: 'bench-bisect',
    entityRef: plan.entityRef,
    plan,
    source: side('src'),
    target: side(plan.target.connection),
    signal: new AbortController().signal,
    logger: quietLogger,
    checkpoint: async <T>() => record.checkpoint as T | undefined,
    progress: async ({ checkpoint }) => {
      if (checkpoint !== undefined) record.checkpoint = checkpoint;
    },
    event: async (_message, data) => {
      record.events.push({ data });
    },
  };
}

/** The process's peak RSS so far (maxRSS is in kilobytes): the kernel's high-water mark. */
const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
/**
 * Where the RSS is, sampled every 50 ms: V8's heap (young and old generations) and
 * memory outside it (Buffers, the drivers' native memory), each at its highest.
 */
const memoryPeaks = { heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
const sampleMemory = () => {
  const now = process.memoryUsage();
  for (const key of Object.keys(memoryPeaks) as Array<
    keyof typeof memoryPeaks
  >) {
    memoryPeaks[key] = Math.max(memoryPeaks[key], now[key]);
  }
};
/** The peak once the first copy step ended (before catch-up and verify ran). */
let copyPeakMb: number | undefined;

const seconds = (started: bigint) =>
  Number(process.hrtime.bigint() - started) / 1e9;

/** Keys 1 … rows spread evenly: the rows the bisection run changes. */
export function changedKeys(rows: number, changed: number): number[] {
  const step = Math.floor(rows / changed);
  return Array.from({ length: changed }, (_, i) => 1 + i * step);
}

/**
 * The bisection path: a copy driven step by step (so the target can be changed between
 * catch-up and verify), `changed` rows of it altered, then verify timed until it fails
 * naming keys. Everything it made is undone after.
 */
async function bisectRun(req: CopyRunRequest, changed: number) {
  const registry = registryFor(req);
  try {
    const plan = await planTo(registry, req, `${req.table}_bisect`);
    const record: StepRecord = { events: [] };
    const ctx = stepContext(registry, plan, record);
    try {
      await provisionStep.run(ctx);
      const copyStarted = process.hrtime.bigint();
      await copyStep.run(ctx);
      const copySeconds = seconds(copyStarted);
      copyPeakMb = peakMb();
      await catchUpStep.run(ctx);
      const keys = changedKeys(req.rows, changed);
      await registry
        .get('dst')
        .raw(
          `UPDATE ${
            req.table
          }_bisect SET label = label || '!' WHERE id IN (${keys.join(', ')})`,
        );
      record.checkpoint = undefined;
      const started = process.hrtime.bigint();
      const failure = await verifyStep.run(ctx).then(
        () => undefined,
        e => e as Error,
      );
      const verifySeconds = seconds(started);
      const named = (
        (record.events.find(e => e.data?.firstDifferingKeys)?.data
          ?.firstDifferingKeys as unknown[][]) ?? []
      ).map(k => Number(k[0]));
      if (!failure) throw new Error('verify passed over changed rows');
      return { seconds: verifySeconds, copySeconds, named };
    } finally {
      await verifyStep.undo(ctx);
      await provisionStep.undo(ctx);
    }
  } finally {
    await registry.destroy();
  }
}

async function mainRun(req: CopyRunRequest) {
  const registry = registryFor(req);
  const pluginKnex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  await migrateStore({ getClient: async () => pluginKnex } as any);
  const store = new KnexMigrationStore(pluginKnex);
  try {
    const plan = await planTo(registry, req, `${req.table}_copy`);
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
    await runner.run(migration, 'bench', new AbortController().signal);
    const done = (await store.getMigration(migration.id))!;
    if (done.status !== 'awaiting_cleanup')
      throw new Error(`bench migration ended ${done.status}`);
    const stepSeconds = (name: string) => {
      const step = done.steps.find(s => s.name === name)!;
      return (
        (Date.parse(step.finishedAt!) - Date.parse(step.startedAt!)) / 1000
      );
    };
    return {
      strategy: plan.copyStrategy,
      copySeconds: stepSeconds('copy'),
      loadSeconds: stepSeconds('provision') + stepSeconds('copy'),
      verifySeconds: stepSeconds('verify'),
    };
  } finally {
    await registry.destroy();
    await pluginKnex.destroy();
  }
}

async function main() {
  const req = JSON.parse(process.argv[2]) as CopyRunRequest;
  const startMb = peakMb();
  const sampler = setInterval(sampleMemory, 50);
  // The bisection run first: the main run's cutover renames the source.
  const bisect = req.changed ? await bisectRun(req, req.changed) : undefined;
  // Its writes flushed, as before every timed run, so they do not slow the next.
  if (bisect)
    await runOnce('pg', { ...PG, database: 'postgres' }, 'CHECKPOINT');
  const run = await mainRun(req);
  const result: CopyRunResult = {
    ...run,
    bisect,
    // The process's peak, whatever ran in it.
    peakMb: peakMb(),
  };
  clearInterval(sampler);
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  // Which part of the peak is the copy's: the process loaded, then after the first copy.
  console.error(
    `  peak RSS: ${startMb} MB loaded, ${
      copyPeakMb ?? '-'
    } MB after the first copy, ${
      result.peakMb
    } MB at the end (highest V8 heap ${mb(memoryPeaks.heapTotal)} MB, ${mb(
      memoryPeaks.heapUsed,
    )} MB used; outside it ${mb(memoryPeaks.external)} MB, Buffers ${mb(
      memoryPeaks.arrayBuffers,
    )} MB)`,
  );
  console.log(`RESULT ${JSON.stringify(result)}`);
}

// Run as a script only: copyBench.ts imports the types and `changedKeys`.
if (require.main === module) {
  main().catch(e => {
    console.error(e);
    process.exit(1);
  });
}
