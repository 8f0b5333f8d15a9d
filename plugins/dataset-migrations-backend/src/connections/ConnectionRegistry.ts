import { NotFoundError } from '@backstage/errors';
import knexFactory, { Knex } from 'knex';
import type { ConnectionSummary } from '@internal/backstage-plugin-dataset-migrations-common';
import type {
  ConnectionConfig,
  PostgresFdwPair,
} from '../config/DatasetMigrationsConfig';
import { dialectFor } from '../plan/dialects';
import type { Dialect } from '../plan/dialects/Dialect';
import { driverSettings } from './driverSettings';
import { pgClientWithPositionedBindings } from './pgPlaceholders';
import {
  ForeignServerSettings,
  foreignServerSettings,
} from './foreignServerSettings';

/**
 * Owns one knex pool per configured connection, opened on first use and closed on
 * shutdown. The only place that turns connection settings into live clients.
 */
export class ConnectionRegistry {
  private readonly clients = new Map<string, Knex>();

  constructor(
    private readonly connections: Map<string, ConnectionConfig>,
    private readonly options: { postgresFdw?: PostgresFdwPair[] } = {},
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

  get(name: string): Knex {
    let client = this.clients.get(name);
    if (!client) {
      const { client: driver, connection } = this.config(name);
      const dialect = dialectFor(driver);
      client = knexFactory({
        // pg: a client class that leaves a `?` inside quotes alone (see positionPgBindings).
        client: driver === 'pg' ? pgClientWithPositionedBindings() : driver,
        connection: driverSettings(
          driver,
          connection,
        ) as Knex.StaticConnectionConfig,
        // SQLite cannot express DEFAULT in multi-row inserts; knex needs this to write NULL.
        useNullAsDefault: driver === 'better-sqlite3',
        pool: {
          ...(driver === 'better-sqlite3'
            ? { min: 1, max: 1 }
            : { min: 0, max: 8 }),
          // Registers what generated SQL needs on each new connection (SQLite: dm_md5_32).
          afterCreate: (
            raw: unknown,
            done: (err: Error | null, raw: unknown) => void,
          ) => {
            try {
              dialect.prepareConnection?.(raw);
              done(null, raw);
            } catch (e) {
              done(e as Error, raw);
            }
          },
        },
      });
      this.clients.set(name, client);
    }
    return client;
  }

  async destroy(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map(c => c.destroy()));
  }
}
