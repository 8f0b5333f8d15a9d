import type { ConnectionClient } from '@internal/backstage-plugin-dataset-migrations-common';

/** A validated connection: the knex client and its (secret) settings. */
export type ConnectionConfig = {
  name: string;
  client: ConnectionClient;
  connection: string | Record<string, unknown>;
};

export type RuleMatch = {
  connection?: string;
  schema?: string;
  table?: string;
  column?: string;
  type?: string;
};

export type RuleTarget = {
  connection?: string;
  schema?: string;
  table?: string;
};

/** A validated admin rule (see config.d.ts for the meaning of each key). */
export type RuleConfig = {
  name: string;
  match: RuleMatch;
  renameColumns?: 'snake_case' | 'keep';
  renameTo?: string;
  cast?: string;
  default?: string | number | boolean;
  drop?: boolean;
  allowDestructive: boolean;
  computed: Array<{ name: string; type: string; expression: string }>;
  target?: RuleTarget;
};

export type DatasetMigrationsConfig = {
  connections: Map<string, ConnectionConfig>;
  rules: RuleConfig[];
};
