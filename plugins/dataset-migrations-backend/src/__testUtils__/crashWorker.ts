/*
 * A stand-alone worker process for the crash test: the same store, connections, runner
 * and worker pool a backend instance runs, over the files named in argv[2] (JSON).
 * The test kills it with SIGKILL mid-copy and starts it again.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import knexFactory from 'knex';
import { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { DEFAULT_EXECUTOR_SETTINGS } from '../execute/ExecutorSettings';
import { MigrationRunner } from '../execute/MigrationRunner';
import { WorkerPool } from '../fleet/WorkerPool';
import { KnexMigrationStore } from '../store/KnexMigrationStore';

async function main() {
  const {
    pluginDb,
    connections,
    workerSlots = 1,
    leaseMs = 1000,
    caps,
  } = JSON.parse(process.argv[2]);
  // The plugin's own database: a SQLite file, or knex settings (a shared PostgreSQL).
  const knex =
    typeof pluginDb === 'string'
      ? knexFactory({
          client: 'better-sqlite3',
          connection: { filename: pluginDb },
          useNullAsDefault: true,
        })
      : knexFactory(pluginDb);
  const store = new KnexMigrationStore(knex, { caps });
  const registry = new ConnectionRegistry(
    new Map(Object.entries(connections)) as any,
  );
  const settings = {
    ...DEFAULT_EXECUTOR_SETTINGS,
    workerSlots,
    leaseMs,
    retryBaseMs: 50,
    pollIntervalMs: 100,
    cleanupGraceMs: 3600_000,
  };
  const logger: LoggerService = {
    error: m => process.stderr.write(`error: ${m}\n`),
    warn: m => process.stderr.write(`warn: ${m}\n`),
    info: () => {},
    debug: () => {},
    child: () => logger,
  };
  const runner = new MigrationRunner({
    store,
    connections: registry,
    settings,
    logger,
  });
  const pool = new WorkerPool({
    store,
    runner,
    settings,
    logger,
    agentVersions: ['sql@1.3.0'],
  });
  pool.start();
  process.stdout.write('started\n');
}

main().catch(e => {
  process.stderr.write(`${e.stack}\n`);
  process.exit(1);
});
