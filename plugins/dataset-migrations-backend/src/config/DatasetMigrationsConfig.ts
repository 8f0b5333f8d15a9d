import type { ExecutorSettings } from '../execute/ExecutorSettings';
import type { DatasetMigrationRule } from '@internal/backstage-plugin-dataset-migrations-node';
import type { ConnectionClient } from '@internal/backstage-plugin-dataset-migrations-common';

/** A validated connection: the knex client and its (secret) settings. */
export type ConnectionConfig = {
  name: string;
  client: ConnectionClient;
  connection: string | Record<string, unknown>;
};

/** A validated admin rule (see config.d.ts for the meaning of each key). */
export type RuleConfig = DatasetMigrationRule;

export type DatasetMigrationsConfig = {
  connections: Map<string, ConnectionConfig>;
  rules: RuleConfig[];
  executor: ExecutorSettings;
};
