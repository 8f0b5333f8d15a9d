import semver from 'semver';
import type { DatasetMigrationAgent } from '@internal/backstage-plugin-dataset-migrations-node';

/** The agents this backend knows: the built-in SQL agent and any added by modules. */
export class AgentRegistry {
  private readonly agents = new Map<string, DatasetMigrationAgent[]>();

  constructor(private readonly defaultAgentId: string) {}

  add(agent: DatasetMigrationAgent): void {
    if (semver.valid(agent.version) !== agent.version) {
      throw new Error(
        `Agent ${agent.id} has version "${agent.version}"; agents need a semver version such as 1.2.0`,
      );
    }
    const versions = this.agents.get(agent.id) ?? [];
    if (versions.some(a => a.version === agent.version)) {
      throw new Error(`Agent ${agent.id}@${agent.version} is registered twice`);
    }
    this.agents.set(agent.id, [...versions, agent]);
  }

  /** Whether an agent of this id is registered. */
  has(agentId: string): boolean {
    return Boolean(this.agents.get(agentId)?.length);
  }

  /** The id of the agent that plans when no other is asked for. */
  get defaultId(): string {
    return this.defaultAgentId;
  }

  /** The agent that plans new migrations: the newest version of the agent (default: the default agent). */
  current(agentId: string = this.defaultAgentId): DatasetMigrationAgent {
    const versions = this.agents.get(agentId);
    if (!versions?.length) {
      throw new Error(`No agent "${agentId}" is registered`);
    }
    return [...versions].sort((a, b) =>
      semver.rcompare(a.version, b.version),
    )[0];
  }

  /** The registered version of an agent, if it is registered. */
  get(agentId: string, version: string): DatasetMigrationAgent | undefined {
    return this.agents.get(agentId)?.find(a => a.version === version);
  }

  /** The registered versions of an agent, newest first. */
  versions(agentId: string): string[] {
    return (this.agents.get(agentId) ?? [])
      .map(a => a.version)
      .sort((a, b) => semver.rcompare(a, b));
  }

  list(): Array<{ id: string; version: string }> {
    return [...this.agents.values()]
      .flat()
      .map(a => ({ id: a.id, version: a.version }));
  }
}
