/*
 * The fleet `yarn bench:fleet` migrates: N tiny tables in a schema of their own of a
 * database of the benchmark's own, and the catalog entities discovery makes of them.
 */
import type { Entity } from '@backstage/catalog-model';
import knexFactory from 'knex';
import { ConnectionRegistry } from '../src/connections/ConnectionRegistry';
import { DatasetDiscoveryProvider } from '../src/discovery/DatasetDiscoveryProvider';
import { PG, quietLogger } from './benchSupport';

export const DATA_SCHEMA = 'fleet';
export const CONNECTION = 'warehouse';
export const OWNER = 'group:default/data-platform';
// Tables per statement: creating thousands in one transaction would overflow
// PostgreSQL's lock table (max_locks_per_transaction).
const TABLES_PER_BATCH = 200;
const ROWS_PER_TABLE = 10;

export const tableName = (i: number) => `t${String(i).padStart(5, '0')}`;

/** Creates `count` tiny tables (a key, a label, ten rows) in `database`.`fleet`. */
export async function createFleetTables(
  database: string,
  count: number,
  progress: (done: number) => void,
) {
  const knex = knexFactory({ client: 'pg', connection: { ...PG, database } });
  try {
    await knex.raw(`CREATE SCHEMA ${DATA_SCHEMA}`);
    for (let from = 0; from < count; from += TABLES_PER_BATCH) {
      const statements: string[] = [];
      for (let i = from; i < Math.min(count, from + TABLES_PER_BATCH); i++) {
        const table = `${DATA_SCHEMA}.${tableName(i)}`;
        statements.push(
          `CREATE TABLE ${table} (id integer PRIMARY KEY, label varchar(40) NOT NULL)`,
          `INSERT INTO ${table} SELECT g, 'row-' || g FROM generate_series(1, ${ROWS_PER_TABLE}) g`,
        );
      }
      await knex.raw(statements.join(';\n'));
      progress(Math.min(count, from + TABLES_PER_BATCH));
    }
  } finally {
    await knex.destroy();
  }
}

/** The `warehouse` connection's settings, on `database`. */
export const warehouseConnection = (database: string) => ({
  client: 'pg' as const,
  connection: { ...PG, database },
});

/**
 * Runs discovery once over the fleet's schema and returns the entities it handed the
 * catalog, with how long the run took (introspection and entity building; the catalog
 * here is a stand-in that keeps what it is given).
 */
export async function discoverFleet(
  database: string,
): Promise<{ entities: Entity[]; seconds: number }> {
  const registry = new ConnectionRegistry(
    new Map([
      [CONNECTION, { name: CONNECTION, ...warehouseConnection(database) }],
    ]) as any,
  );
  const provider = new DatasetDiscoveryProvider({
    settings: {
      connection: CONNECTION,
      schemas: [DATA_SCHEMA],
      exclude: [],
      owners: [],
      defaultOwner: OWNER,
      schedule: { frequency: { minutes: 30 }, timeout: { minutes: 10 } },
    },
    connections: registry,
    logger: quietLogger,
  });
  let entities: Entity[] = [];
  await provider.connect({
    async applyMutation(mutation) {
      if (mutation.type === 'full') {
        entities = mutation.entities.map(e => e.entity);
      }
    },
    async refresh() {},
  });
  try {
    const started = process.hrtime.bigint();
    await provider.run();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { entities, seconds };
  } finally {
    await registry.destroy();
  }
}
