import { NotAllowedError, NotFoundError } from '@backstage/errors';
import knexFactory, { Knex } from 'knex';
import type {
  ConnectionClient,
  ConnectionSummary,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type {
  ConnectionConfig,
  PostgresFdwPair,
} from '../config/DatasetMigrationsConfig';
import { recordDriverMessage } from '../errors/safeErrorMessage';
import { dialectFor } from '../dialects';
import type { Dialect } from '../dialects/Dialect';
import { driverSettings } from './driverSettings';
import { pgClientWithPositionedBindings } from './pgPlaceholders';
import { SqliteThread } from './sqliteThread';
import { isSqliteFile, sqliteThreadClient } from './sqliteThreadClient';
import {
  ForeignServerSettings,
  foreignServerSettings,
} from './foreignServerSettings';

/**
 * The statement that bounds each statement of a session, per engine. SQLite has none:
 * better-sqlite3 runs synchronously and offers no progress handler to interrupt it.
 */
function statementTimeoutSql(
  client: ConnectionConfig['client'],
  timeoutMs: number,
): string[] {
  switch (client) {
    case 'pg':
      return [`SET statement_timeout = ${Math.round(timeoutMs)}`];
    case 'mysql2':
      // MariaDB's max_statement_time (seconds) first; MySQL's max_execution_time (ms,
      // SELECT only) when the server does not know it.
      return [
        `SET SESSION max_statement_time = ${timeoutMs / 1000}`,
        `SET SESSION max_execution_time = ${Math.round(timeoutMs)}`,
      ];
    default:
      return [];
  }
}

/**
 * What every session of a driver's pools runs first, whatever its pool. MySQL/MariaDB:
 * NO_AUTO_VALUE_ON_ZERO, or an inserted key 0 in an AUTO_INCREMENT column would take the
 * next number instead (a copied row renumbered, or refused as a duplicate), as
 * mysqldump's own sessions do; the server's other modes are kept.
 */
function requiredSessionSql(
  client: ConnectionConfig['client'],
): string | undefined {
  return client === 'mysql2'
    ? `SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'NO_AUTO_VALUE_ON_ZERO')`
    : undefined;
}

/**
 * The knex client of a driver. pg: a client class that leaves a `?` inside quotes
 * alone (see positionPgBindings), in transactions too (knex builds those from the
 * class). better-sqlite3 on a file: a client whose connection runs in a worker thread
 * (sqliteThreadClient), since the driver blocks the event loop for as long as a
 * statement runs; an in-memory database (tests) cannot be opened from another thread
 * and stays on the main thread.
 */
function clientFor(
  driver: ConnectionClient,
  connection: unknown,
): string | typeof Knex.Client {
  if (driver === 'pg') return pgClientWithPositionedBindings();
  if (driver === 'better-sqlite3' && isSqliteFile(connection)) {
    return sqliteThreadClient();
  }
  return driver;
}

/** Runs the first of `statements` the server accepts on a raw driver connection. */
function runFirstAccepted(
  raw: unknown,
  statements: string[],
  done: (err: Error | null) => void,
): void {
  const [first, ...rest] = statements;
  if (!first) {
    done(null);
    return;
  }
  (raw as { query(sql: string, cb: (err: Error | null) => void): void }).query(
    first,
    err => {
      if (err && rest.length > 0) runFirstAccepted(raw, rest, done);
      else done(err);
    },
  );
}

/**
 * Owns one knex pool per configured connection, opened on first use and closed on
 * shutdown, plus a small planning pool per server connection whose sessions carry a
 * statement timeout. The only place that turns connection settings into live clients.
 */
export class ConnectionRegistry {
  private readonly clients = new Map<string, Knex>();
  private readonly planningClients = new Map<string, Knex>();

  constructor(
    private readonly connections: Map<string, ConnectionConfig>,
    private readonly options: {
      postgresFdw?: PostgresFdwPair[];
      /** Statement timeout of the planning pools (default: none). */
      planningStatementTimeoutMs?: number;
    } = {},
  ) {}

  list(): ConnectionSummary[] {
    return [...this.connections.values()].map(({ name, client }) => ({
      name,
      client,
    }));
  }

  has(name: string): boolean {
    return this.connections.has(name);
  }

  config(name: string): ConnectionConfig {
    const connection = this.connections.get(name);
    if (!connection) {
      throw new NotFoundError(
        `Connection "${name}" is not configured; add it under datasetMigrations.connections (known: ${
          [...this.connections.keys()].join(', ') || 'none'
        })`,
      );
    }
    return connection;
  }

  /**
   * Refuses a dataset whose owner the connection does not accept
   * (`datasetMigrations.connections.<name>.allowedOwners`), so that registering a
   * catalog entity that points at a table gives its author no power over the table.
   * `ownerRef` is the dataset's full owner ref (undefined: it has none).
   */
  assertAcceptsOwner(
    name: string,
    ownerRef: string | undefined,
    entityRef: string,
  ): void {
    const { allowedOwners } = this.config(name);
    if (!allowedOwners || (ownerRef && allowedOwners.includes(ownerRef)))
      return;
    throw new NotAllowedError(
      `Connection "${name}" does not accept datasets owned by ${
        ownerRef ?? 'nobody (no spec.owner)'
      }, so ${entityRef} cannot be planned or migrated there: datasetMigrations.connections.${name}.allowedOwners lists ${
        allowedOwners.join(', ') || 'no owner'
      }. Ask an admin to add the owner there, or set spec.owner to one of them`,
    );
  }

  /** The dialect of a configured connection's engine. */
  dialect(name: string): Dialect {
    return dialectFor(this.config(name).client);
  }

  /** Connections the admin let this one read through postgres_fdw (its enabled pairs). */
  foreignViewTargets(source: string): string[] {
    return (this.options.postgresFdw ?? [])
      .filter(pair => pair.source === source)
      .map(pair => pair.target);
  }

  /**
   * The foreign server and user mapping through which `source` reads `target`, or
   * undefined when the admin has not enabled the pair. Secret: for the cutover only.
   */
  foreignServerSettings(
    source: string,
    target: string,
  ): ForeignServerSettings | undefined {
    const pair = (this.options.postgresFdw ?? []).find(
      p => p.source === source && p.target === target,
    );
    return pair && foreignServerSettings(pair, this.config(target));
  }

  /** The pool the executor runs a connection's steps on. */
  get(name: string): Knex {
    let client = this.clients.get(name);
    if (!client) {
      client = this.createClient(name);
      this.clients.set(name, client);
    }
    return client;
  }

  /**
   * The pool plan generation and preflight run on: each statement bounded by the
   * planning statement timeout. SQLite shares the executor's single connection (an
   * in-memory database exists once per connection, and it has no timeout anyway).
   */
  forPlanning(name: string): Knex {
    const timeoutMs = this.options.planningStatementTimeoutMs;
    const { client: driver } = this.config(name);
    if (driver === 'better-sqlite3' || timeoutMs === undefined) {
      return this.get(name);
    }
    let client = this.planningClients.get(name);
    if (!client) {
      client = this.createClient(name, {
        max: 4,
        sessionSql: statementTimeoutSql(driver, timeoutMs),
      });
      this.planningClients.set(name, client);
    }
    return client;
  }

  private createClient(
    name: string,
    options: { max?: number; sessionSql?: string[] } = {},
  ): Knex {
    const { client: driver, connection } = this.config(name);
    const dialect = dialectFor(driver);
    const client = knexFactory({
      client: clientFor(driver, connection),
      connection: driverSettings(
        driver,
        connection,
      ) as Knex.StaticConnectionConfig,
      // SQLite cannot express DEFAULT in multi-row inserts; knex needs this to write NULL.
      useNullAsDefault: driver === 'better-sqlite3',
      // Knex would otherwise inline the bound row values into every error message.
      compileSqlOnError: false,
      pool: {
        ...(driver === 'better-sqlite3'
          ? { min: 1, max: 1 }
          : { min: 0, max: options.max ?? 8 }),
        // Registers what generated SQL needs on each new connection (SQLite:
        // dm_md5_32; a SQLite thread registers it itself), then the session
        // settings of this pool.
        afterCreate: (
          raw: unknown,
          done: (err: Error | null, raw: unknown) => void,
        ) => {
          try {
            if (!(raw instanceof SqliteThread))
              dialect.prepareConnection?.(raw);
          } catch (e) {
            done(e as Error, raw);
            return;
          }
          const required = requiredSessionSql(driver);
          const settle = () =>
            runFirstAccepted(raw, options.sessionSql ?? [], err =>
              done(err, raw),
            );
          if (!required) {
            settle();
            return;
          }
          runFirstAccepted(raw, [required], err =>
            err ? done(err, raw) : settle(),
          );
        },
      },
    });
    // Keeps the driver's own text apart from the SQL knex prefixes (safeErrorMessage).
    client.on('query-error', recordDriverMessage);
    return client;
  }

  async destroy(): Promise<void> {
    const clients = [
      ...this.clients.values(),
      ...this.planningClients.values(),
    ];
    this.clients.clear();
    this.planningClients.clear();
    await Promise.all(clients.map(c => c.destroy()));
  }
}
