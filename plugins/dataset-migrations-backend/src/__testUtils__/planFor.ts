import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import type {
  DatasetMigrationAgent,
  DatasetMigrationRule,
} from '@internal/backstage-plugin-dataset-migrations-node';
import type { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { describeConnection } from '../connections/describeConnection';
import { dialectFor } from '../dialects';
import { hashPlan } from '../plan/hashPlan';
import { runPreflight } from '../plan/preflight/runPreflight';
import { SqlAgent } from '../plan/SqlAgent';

/**
 * Plans a table the way PlanService does, without a catalog: introspect, SQL agent,
 * hash, preflight. For tests that drive the planner or executor directly.
 */
export async function planFor(
  connections: ConnectionRegistry,
  location: { connection: string; schema?: string; table: string },
  rules: DatasetMigrationRule[],
  entityRef = `resource:default/${location.table.toLowerCase()}`,
  /** The agent that plans; default: the stable SQL agent. */
  agent: DatasetMigrationAgent = new SqlAgent(),
): Promise<Plan> {
  const dialect = dialectFor(connections.config(location.connection).client);
  const knex = connections.get(location.connection);
  const source = await dialect.introspect(knex, location.connection, location);
  const described = await Promise.all(
    connections.list().map(c => describeConnection(connections, c.name)),
  );
  const agentPlan = await agent.createPlan({
    entityRef,
    source,
    connections: described,
    rules,
  });
  const unhashed = {
    ...agentPlan,
    entityRef,
    agent: { id: agent.id, version: agent.version },
  };
  const hash = hashPlan(unhashed);
  const target = agentPlan.target.connection;
  const preflight = await runPreflight({
    plan: { ...unhashed, hash },
    source: { knex, dialect },
    target: {
      knex: connections.get(target),
      dialect: dialectFor(connections.config(target).client),
    },
    isSameConnection: target === location.connection,
  });
  return { ...unhashed, hash, preflight, createdAt: new Date().toISOString() };
}

/**
 * The plan of moving the table at `location` to `target` (a connection and a table
 * name template) under one rule, `move`, with `options` (a column renaming, ...).
 */
export function planMove(
  connections: ConnectionRegistry,
  location: { connection: string; schema?: string; table: string },
  target: DatasetMigrationRule['target'],
  options: Omit<Partial<DatasetMigrationRule>, 'name' | 'target'> = {},
): Promise<Plan> {
  return planFor(connections, location, [
    {
      match: {},
      allowDestructive: false,
      computed: [],
      ...options,
      name: 'move',
      target,
    },
  ]);
}
