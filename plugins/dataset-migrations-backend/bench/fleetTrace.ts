/* eslint-disable no-console */
/*
 * yarn bench:fleet-trace [--migrations 5]
 *
 * Where one tiny migration's time goes: migrates a few of the fleet's tiny PostgreSQL
 * tables one after another with the real runner and store, and prints per step how
 * many statements it sent to the dataset's database and to the plugin's state
 * database, and how long they took. A profile, not a test.
 */
import knexFactory, { Knex } from 'knex';
import { ConnectionRegistry } from '../src/connections/ConnectionRegistry';
import { MigrationRunner } from '../src/execute/MigrationRunner';
import { DEFAULT_EXECUTOR_SETTINGS } from '../src/execute/ExecutorSettings';
import { STEPS } from '../src/execute/steps';
import { KnexMigrationStore } from '../src/store/KnexMigrationStore';
import { migrateStore } from '../src/store/migrateStore';
import { planFor } from '../src/__testUtils__/planFor';
import { rule } from '../src/__testUtils__/rule';
import {
  freshPostgresDatabase,
  PG,
  printTable,
  quietLogger,
  runOnce,
} from './benchSupport';
import {
  CONNECTION,
  createFleetTables,
  DATA_SCHEMA,
  tableName,
  warehouseConnection,
} from './fleetData';

// FLEET_DB_PREFIX names the two databases apart when several people bench one server.
const DB_PREFIX = process.env.FLEET_DB_PREFIX ?? 'dm_bench';
if (!/^[a-z_][a-z0-9_]*$/.test(DB_PREFIX)) {
  throw new Error('FLEET_DB_PREFIX takes lower-case letters, digits and _');
}
const DATA_DB = `${DB_PREFIX}_trace_data`;
const STATE_DB = `${DB_PREFIX}_trace_state`;
const at = process.argv.indexOf('--migrations');
const MIGRATIONS = at < 0 ? 5 : Number(process.argv[at + 1]);

/** The phase statements count for now: a step's name, or what runs between steps. */
let current = 'orchestration';

type Tally = { statements: number; ms: number };
type Phase = { data: Tally; state: Tally; wallMs: number };

/** Counts each knex's statements and their time into the phase open at the time. */
function tap(knex: Knex, side: 'data' | 'state', phase: () => Phase) {
  const started = new Map<string, bigint>();
  knex.on('query', q => started.set(q.__knexQueryUid, process.hrtime.bigint()));
  const done = (q: any) => {
    const t0 = started.get(q.__knexQueryUid);
    if (t0 === undefined) return;
    started.delete(q.__knexQueryUid);
    if (process.env.TRACE_SQL)
      console.error(`${current} ${side}: ${String(q.sql).slice(0, 160)}`);
    const tally = phase()[side];
    tally.statements++;
    tally.ms += Number(process.hrtime.bigint() - t0) / 1e6;
  };
  knex.on('query-response', (_r, q) => done(q));
  knex.on('query-error', (_e, q) => done(q));
}

async function main() {
  await freshPostgresDatabase(DATA_DB);
  await freshPostgresDatabase(STATE_DB);
  await createFleetTables(DATA_DB, MIGRATIONS, () => {});
  const state = knexFactory({
    client: 'pg',
    connection: { ...PG, database: STATE_DB },
  });
  const connections = new ConnectionRegistry(
    new Map([
      [CONNECTION, { name: CONNECTION, ...warehouseConnection(DATA_DB) }],
    ]) as any,
  );
  const phases = new Map<string, Phase>();
  const phase = () => {
    let p = phases.get(current);
    if (!p) {
      p = {
        data: { statements: 0, ms: 0 },
        state: { statements: 0, ms: 0 },
        wallMs: 0,
      };
      phases.set(current, p);
    }
    return p;
  };
  try {
    await migrateStore({ getClient: async () => state } as any);
    const store = new KnexMigrationStore(state);
    const steps = STEPS.map(step => ({
      ...step,
      // Statements between a step's start and end count for the step.
      run: async (ctx: any) => {
        const before = current;
        current = step.name;
        const t0 = process.hrtime.bigint();
        try {
          await step.run(ctx);
        } finally {
          phase().wallMs += Number(process.hrtime.bigint() - t0) / 1e6;
          current = before;
        }
      },
    }));
    const runner = new MigrationRunner({
      store,
      connections,
      settings: DEFAULT_EXECUTOR_SETTINGS,
      logger: quietLogger,
      steps,
    });
    tap(state, 'state', phase);
    tap(connections.get(CONNECTION), 'data', phase);
    let totalMs = 0;
    for (let i = 0; i < MIGRATIONS; i++) {
      current = 'planning';
      const plan = await planFor(
        connections,
        { connection: CONNECTION, schema: DATA_SCHEMA, table: tableName(i) },
        [
          rule({
            name: 'bench-v2',
            match: { connection: CONNECTION },
            target: { table: '{table}_v2' },
          }),
        ],
      );
      current = 'create';
      const created = await store.createMigration({
        entityRef: plan.entityRef,
        connection: CONNECTION,
        ownerRef: null,
        plan,
        createdBy: 'user:default/bench',
      });
      current = 'claim';
      const t0 = process.hrtime.bigint();
      const claimed = await store.claimMigration('trace/0', 60_000);
      current = 'orchestration';
      await runner.run(claimed!, 'trace/0', new AbortController().signal);
      await store.releaseLease(created.id, 'trace/0');
      totalMs += Number(process.hrtime.bigint() - t0) / 1e6;
      const end = await store.getMigration(created.id);
      if (end?.status !== 'awaiting_cleanup')
        throw new Error(`migration ended ${end?.status}: ${end?.error}`);
    }
    const per = (n: number) => (n / MIGRATIONS).toFixed(1);
    printTable(
      [
        'phase',
        'data stmts',
        'data ms',
        'state stmts',
        'state ms',
        'step wall ms',
      ],
      [...phases.entries()].map(([name, p]) => [
        name,
        per(p.data.statements),
        per(p.data.ms),
        per(p.state.statements),
        per(p.state.ms),
        per(p.wallMs),
      ]),
    );
    console.log(
      `\n${MIGRATIONS} migrations, claim to awaiting cleanup: ${per(
        totalMs,
      )} ms each (create and planning not counted)`,
    );
  } finally {
    await connections.destroy();
    await state.destroy();
    for (const db of [DATA_DB, STATE_DB]) {
      await runOnce(
        'pg',
        { ...PG, database: 'postgres' },
        `DROP DATABASE IF EXISTS ${db}`,
      );
    }
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
