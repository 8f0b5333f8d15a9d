import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type {
  Engine,
  Plan,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { DatasetMigrationConsumerAgent } from './consumerAgents';
import type { DatasetMigrationRule } from './rules';

/** A connection as an agent sees it: never its settings. @public */
export type AgentConnection = {
  name: string;
  engine: Engine;
  /**
   * Identifies the physical database: two connections with the same key are the same
   * database (push-down copies and compatibility views are possible between them).
   */
  databaseKey: string;
  /** The schema unqualified names resolve to (`public`, the MySQL database), if any. */
  defaultSchema?: string;
  /**
   * Connections (other PostgreSQL databases) whose tables this PostgreSQL connection can
   * read through a `postgres_fdw` foreign table, because an admin enabled the pair
   * (`datasetMigrations.compatibility.postgresFdw`). A move from here to one of them can
   * keep a compatibility view at the old name (`foreign-view`). Absent: none.
   */
  foreignViewTargets?: string[];
};

/** What an agent plans from. @public */
export type AgentPlanInput = {
  entityRef: string;
  source: TableSchema;
  connections: AgentConnection[];
  /** Admin rules in order; built-in defaults apply after them. */
  rules: DatasetMigrationRule[];
};

/** What an agent returns: the plan without the parts the engine adds (hash, preflight). @public */
export type AgentPlan = Omit<
  Plan,
  'hash' | 'preflight' | 'createdAt' | 'entityRef' | 'agent'
>;

/**
 * A versioned code generator that turns a source schema and rules into a plan.
 *
 * @public
 */
export interface DatasetMigrationAgent {
  /** Stable id, e.g. `sql`. */
  readonly id: string;
  /** Semver version, recorded on every plan and migration. */
  readonly version: string;
  createPlan(input: AgentPlanInput): Promise<AgentPlan>;
}

/** Extension point through which modules add agents. @public */
export interface DatasetMigrationsAgentsExtensionPoint {
  addAgent(agent: DatasetMigrationAgent): void;
  /** Adds an agent that rewrites consumers' code for a dataset's new table. */
  addConsumerAgent(agent: DatasetMigrationConsumerAgent): void;
}

/** @public */
export const datasetMigrationsAgentsExtensionPoint =
  createExtensionPoint<DatasetMigrationsAgentsExtensionPoint>({
    id: 'dataset-migrations.agents',
  });
