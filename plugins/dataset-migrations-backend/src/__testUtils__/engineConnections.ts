import type {
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConnectionConfig } from '../config/DatasetMigrationsConfig';
import { ConnectionRegistry } from '../connections/ConnectionRegistry';

const CLIENT: Record<string, ConnectionConfig['client']> = {
  SQLITE_3: 'better-sqlite3',
  POSTGRES_15: 'pg',
  MYSQL_8: 'mysql2',
};

const ENV: Record<string, string> = {
  POSTGRES_15: 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING',
  MYSQL_8: 'BACKSTAGE_TEST_DATABASE_MYSQL8_CONNECTION_STRING',
};

/**
 * A dataset connection onto a fresh database of the given engine: a temporary SQLite
 * file (an in-memory database could not be shared between pools), or a new logical
 * database on the machine's PostgreSQL / MariaDB from `TestDatabases`.
 */
export async function engineConnection(
  databases: TestDatabases,
  id: TestDatabaseId,
  name: string,
): Promise<ConnectionConfig> {
  const client = CLIENT[id];
  if (client === 'better-sqlite3') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-engine-'));
    return {
      name,
      client,
      connection: { filename: path.join(dir, `${name}.sqlite`) },
    };
  }
  const knex = await databases.init(id);
  const settings = {
    ...(knex.client.config.connection as Record<string, unknown>),
  };
  // The mysql2 driver drops the password from knex's copy once connected: take it back
  // from the connection string TestDatabases was given.
  const url = process.env[ENV[id]];
  if (url && !settings.password)
    settings.password = decodeURIComponent(new URL(url).password);
  return { name, client, connection: settings };
}

/**
 * The connections of a move: `src` on a fresh database of `sourceId` and `dst` on
 * another of `targetId`, or no `dst` when the move stays in the source's database
 * (`'same'`).
 */
export async function moveConnections(
  databases: TestDatabases,
  sourceId: TestDatabaseId,
  targetId: TestDatabaseId | 'same',
): Promise<ConnectionRegistry> {
  const connections = new Map<string, ConnectionConfig>([
    ['src', await engineConnection(databases, sourceId, 'src')],
  ]);
  if (targetId !== 'same')
    connections.set('dst', await engineConnection(databases, targetId, 'dst'));
  return new ConnectionRegistry(connections);
}
