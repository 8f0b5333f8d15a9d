import type {
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import fs from 'node:fs';
import path from 'node:path';
import type { ConnectionConfig } from '../config/DatasetMigrationsConfig';
import { ConnectionRegistry } from '../connections/ConnectionRegistry';
import type { Dialect } from '../dialects/Dialect';
import { engineConnection } from './engineConnections';

/** Connections onto one test database, through the real registry. */
export type TestConnections = {
  registry: ConnectionRegistry;
  /** The engine's dialect (every connection here shares it). */
  dialect: Dialect;
  /** The connections' configs by name, as the registry was given them. */
  configs: Map<string, ConnectionConfig>;
  /** The pooled knex of a connection (default: the first name). */
  knex(name?: string): Knex;
  /** Closes the pools and removes a SQLite temp file. */
  destroy(): Promise<void>;
};

/**
 * A `ConnectionRegistry` whose connections (default `source` and `target`) all point at
 * one fresh database of the given `TestDatabases` engine: a temporary SQLite file, or
 * the database `databases.init(id)` made on the machine's PostgreSQL / MariaDB. Tests go
 * through the registry's own pools, so SQLite gets `dm_md5_32` as production does.
 */
export async function testConnections(
  databases: TestDatabases,
  id: TestDatabaseId,
  names: string[] = ['source', 'target'],
): Promise<TestConnections> {
  if (names.length === 0) throw new Error('Name at least one connection');
  const first = await engineConnection(databases, id, names[0]);
  const configs = new Map<string, ConnectionConfig>(
    names.map(name => [name, { ...first, name }]),
  );
  const registry = new ConnectionRegistry(configs);
  return {
    registry,
    dialect: registry.dialect(names[0]),
    configs,
    knex: (name = names[0]) => registry.get(name),
    async destroy() {
      await registry.destroy();
      if (first.client === 'better-sqlite3') {
        const file = String(
          (first.connection as { filename: string }).filename,
        );
        fs.rmSync(path.dirname(file), { recursive: true, force: true });
      }
    },
  };
}

/**
 * Runs `test` on one fresh connection (`source`) of the engine and closes it after,
 * whether the test passed or not.
 */
export async function onTestConnection(
  databases: TestDatabases,
  id: TestDatabaseId,
  test: (knex: Knex, db: TestConnections) => Promise<void>,
): Promise<void> {
  const db = await testConnections(databases, id, ['source']);
  try {
    await test(db.knex(), db);
  } finally {
    await db.destroy();
  }
}
