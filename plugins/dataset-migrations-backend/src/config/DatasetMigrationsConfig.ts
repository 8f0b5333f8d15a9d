import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import type { ExecutorSettings } from '../execute/ExecutorSettings';
import type { ConcurrencyCaps } from '../store/concurrencyCaps';
import type { DatasetMigrationRule } from '@internal/backstage-plugin-dataset-migrations-node';
import type { ConnectionClient } from '@internal/backstage-plugin-dataset-migrations-common';

/** A validated connection: the knex client and its (secret) settings. */
export type ConnectionConfig = {
  name: string;
  client: ConnectionClient;
  connection: string | Record<string, unknown>;
  /**
   * Owners (entity refs) whose datasets may be planned and migrated on this
   * connection; undefined accepts any owner.
   */
  allowedOwners?: string[];
};

/** Bounds on what one user's requests may cost the databases and the backend. */
export type LimitSettings = {
  /** Longest single statement of plan generation and preflight. */
  statementTimeoutMs: number;
  /** Plan requests (previews and starts) one user may have running at once. */
  plansPerUser: number;
  /** Open event streams per user. */
  eventStreamsPerUser: number;
};

export const DEFAULT_LIMITS: LimitSettings = {
  statementTimeoutMs: 30_000,
  plansPerUser: 2,
  eventStreamsPerUser: 10,
};

/** A validated admin rule (see config.d.ts for the meaning of each key). */
export type RuleConfig = DatasetMigrationRule;

/**
 * A PostgreSQL connection pair an admin enabled for `postgres_fdw` compatibility views:
 * after cutover, the source database reads the moved table in the target database
 * through a foreign table. The overrides replace the target connection's settings in
 * the foreign server (as the source's server reaches the target) and its user mapping.
 */
export type PostgresFdwPair = {
  source: string;
  target: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
};

export type DatasetMigrationsConfig = {
  connections: Map<string, ConnectionConfig>;
  rules: RuleConfig[];
  executor: ExecutorSettings;
  compatibility: { postgresFdw: PostgresFdwPair[] };
  limits: LimitSettings;
  caps: ConcurrencyCaps;
};

/**
 * A validated `datasetMigrations.discovery` entry: which tables of one connection the
 * catalog gets a dataset for, and who owns them. Patterns are globs (`*`, `?`,
 * case-insensitive); a table pattern with a dot matches `schema.table`, one without
 * matches the table name.
 */
export type DiscoveryConfig = {
  connection: string;
  /** Schemas to look in; undefined: the connection's current schema (SQLite: none). */
  schemas?: string[];
  /** Tables to include; undefined: all. */
  tables?: string[];
  exclude: string[];
  /** First match wins; its owner is a full entity ref. */
  owners: Array<{ match: string; owner: string }>;
  defaultOwner: string;
  /** The system (full entity ref) every discovered dataset is part of. */
  system?: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
};
