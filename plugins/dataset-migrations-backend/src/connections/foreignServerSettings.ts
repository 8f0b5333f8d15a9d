import type {
  ConnectionConfig,
  PostgresFdwPair,
} from '../config/DatasetMigrationsConfig';

/**
 * What the source database needs to read the target through `postgres_fdw`: the
 * foreign server's options and the user mapping's. Secret: resolved at cutover from
 * app-config, never put into a plan, an event or a log.
 */
export type ForeignServerSettings = {
  server: { host?: string; port?: string; dbname?: string };
  userMapping: { user?: string; password?: string };
};

const text = (value: unknown): string | undefined =>
  value === undefined || value === null || value === ''
    ? undefined
    : String(value);

/** The target connection's own settings, from a settings object or a connection string. */
function targetSettings(target: ConnectionConfig): Record<string, unknown> {
  if (typeof target.connection === 'object') {
    if (typeof target.connection.connectionString === 'string') {
      return {
        ...parseUrl(target.connection.connectionString),
        ...target.connection,
      };
    }
    return target.connection;
  }
  return parseUrl(target.connection);
}

function parseUrl(connectionString: string): Record<string, unknown> {
  const url = new URL(connectionString);
  return {
    host: url.hostname || url.searchParams.get('host') || undefined,
    port: url.port || undefined,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined,
    user: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
  };
}

/**
 * The foreign server and user mapping for an enabled pair: the target connection's
 * host, port, database, user and password, each replaced by the pair's override when
 * it has one. Options libpq would default are left out.
 */
export function foreignServerSettings(
  pair: PostgresFdwPair,
  target: ConnectionConfig,
): ForeignServerSettings {
  const s = targetSettings(target);
  return {
    server: {
      host: text(pair.host ?? s.host),
      port: text(pair.port ?? s.port),
      dbname: text(s.database),
    },
    userMapping: {
      user: text(pair.user ?? s.user),
      password: text(pair.password ?? s.password),
    },
  };
}
