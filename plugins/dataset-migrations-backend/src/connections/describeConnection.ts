import type { AgentConnection } from '@internal/backstage-plugin-dataset-migrations-node';
import path from 'node:path';
import { dialectFor } from '../dialects';
import type { ConnectionConfig } from '../config/DatasetMigrationsConfig';
import type { ConnectionRegistry } from './ConnectionRegistry';

function settings(config: ConnectionConfig): Record<string, unknown> {
  if (typeof config.connection === 'object') return config.connection;
  // The config reader refuses strings that are not URLs; a registry built some other
  // way still never throws the string (a TypeError's `input`) into an API answer.
  let url: URL;
  try {
    url = new URL(config.connection);
  } catch {
    return { host: `unparsed-${config.name}` };
  }
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

/**
 * A connection as agents see it, without asking its database: no default schema.
 * What a plan gets for a connection that cannot be reached right now.
 */
export function describeConnectionOffline(
  registry: ConnectionRegistry,
  name: string,
): AgentConnection {
  const config = registry.config(name);
  const foreignViewTargets = registry.foreignViewTargets(name);
  return {
    name,
    engine: dialectFor(config.client).engine,
    databaseKey: databaseKey(config),
    ...(foreignViewTargets.length > 0 ? { foreignViewTargets } : {}),
  };
}

/** A connection as agents see it, with the schema its unqualified names resolve to. */
export async function describeConnection(
  registry: ConnectionRegistry,
  name: string,
): Promise<AgentConnection> {
  const dialect = dialectFor(registry.config(name).client);
  return {
    ...describeConnectionOffline(registry, name),
    defaultSchema: await dialect.currentSchema(registry.forPlanning(name)),
  };
}
