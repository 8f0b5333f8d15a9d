import type { AgentConnection } from '@internal/backstage-plugin-dataset-migrations-node';
import path from 'node:path';
import { dialectFor } from '../plan/dialects';
import type { ConnectionConfig } from '../config/DatasetMigrationsConfig';
import type { ConnectionRegistry } from './ConnectionRegistry';

function settings(config: ConnectionConfig): Record<string, unknown> {
  if (typeof config.connection === 'object') return config.connection;
  const url = new URL(config.connection);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    database: url.pathname.replace(/^\//, '') || undefined,
  };
}

/**
 * Which physical database a connection reaches. Two connections with the same key can
 * copy by push-down and serve a view over each other: the same SQLite file, the same
 * PostgreSQL database, or the same MySQL/MariaDB server (databases there are schemas).
 */
export function databaseKey(config: ConnectionConfig): string {
  const s = settings(config);
  switch (config.client) {
    case 'better-sqlite3':
      return `sqlite:${path.resolve(String(s.filename))}`;
    case 'pg':
      return `pg:${s.host ?? 'localhost'}:${s.port ?? 5432}/${
        s.database ?? s.user ?? ''
      }`;
    default:
      return `mysql:${s.host ?? 'localhost'}:${s.port ?? 3306}`;
  }
}

/** A connection as agents see it, with the schema its unqualified names resolve to. */
export async function describeConnection(
  registry: ConnectionRegistry,
  name: string,
): Promise<AgentConnection> {
  const config = registry.config(name);
  const dialect = dialectFor(config.client);
  const foreignViewTargets = registry.foreignViewTargets(name);
  return {
    name,
    engine: dialect.engine,
    databaseKey: databaseKey(config),
    defaultSchema: await dialect.currentSchema(registry.get(name)),
    ...(foreignViewTargets.length > 0 ? { foreignViewTargets } : {}),
  };
}
