/*
 * One backend instance for `yarn bench:fleet`, in a process of its own so that its
 * RSS is its own: the plugin over Backstage's test services (permissions allow all, a
 * catalog stand-in fed with the discovered datasets (FleetCatalog), notifications counted and dropped),
 * its state in the PostgreSQL database argv[2] names. Prints `READY <port>` once its
 * HTTP server listens; the benchmark kills it when done.
 */
import { readFileSync } from 'node:fs';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import knexFactory from 'knex';
import { testBackendFeatures } from '../src/__testUtils__/testBackend';
import { FleetCatalog } from './fleetCatalog';
import { startSqlTally } from './fleetSqlTally';

export type FleetInstanceArgs = {
  /** knex connection settings of the plugin's state database (PostgreSQL). */
  stateDb: object;
  /** What app-config holds under `datasetMigrations`. */
  config: Record<string, unknown>;
  /** A JSON file with the catalog's entities. */
  entitiesFile: string;
};

async function main() {
  const args: FleetInstanceArgs = JSON.parse(process.argv[2]);
  // FLEET_SQL_TALLY=<file>: every statement counted, written to <file>.<pid> at the end.
  const writeTally = process.env.FLEET_SQL_TALLY
    ? startSqlTally(process.env.FLEET_SQL_TALLY)
    : undefined;
  const knex = knexFactory({ client: 'pg', connection: args.stateDb });
  const backend = await startTestBackend({
    features: testBackendFeatures({
      config: args.config,
      catalog: createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () =>
          new FleetCatalog(JSON.parse(readFileSync(args.entitiesFile, 'utf8'))),
      }),
      features: [
        mockServices.database.factory({ knex }),
        // Errors and warnings reach the benchmark's stderr; the rest is noise here.
        mockServices.rootLogger.factory({ level: 'warn' }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ async send() {} }),
        }),
      ],
    }),
  });
  process.stdout.write(`READY ${backend.server.port()}\n`);
  // FLEET_HEAP_LOG=1 with NODE_OPTIONS=--expose-gc: the heap still in use after a full
  // collection, every 5 s, to tell what a run retains from what it merely allocates.
  const gc = (global as { gc?: () => void }).gc;
  if (process.env.FLEET_HEAP_LOG && gc) {
    setInterval(() => {
      gc();
      const m = process.memoryUsage();
      const mb = (n: number) => Math.round(n / 2 ** 20);
      process.stderr.write(
        `heap after gc ${mb(m.heapUsed)} MB, external ${mb(
          m.external,
        )} MB, rss ${mb(m.rss)} MB\n`,
      );
    }, 5_000).unref();
  }
  const stop = async () => {
    await backend.stop();
    await knex.destroy();
    writeTally?.();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(e => {
  process.stderr.write(`fleet instance failed to start: ${e?.stack ?? e}\n`);
  process.exit(1);
});
