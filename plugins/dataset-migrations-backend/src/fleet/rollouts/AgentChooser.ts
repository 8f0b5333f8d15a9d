import type { DatasetMigrationAgent } from '@internal/backstage-plugin-dataset-migrations-node';
import type { AgentRegistry } from '../../plan/AgentRegistry';
import type { RolloutStore } from '../../store/RolloutStore';
import { rolloutBucket } from './rolloutBucket';

/** The agent version that plans a dataset, and why. */
export type ChosenAgent = { agent: DatasetMigrationAgent; choice: string };

/**
 * Chooses the agent version for each plan: the stable version, unless the agent has an
 * active rollout whose share covers the dataset's bucket. Read from the database on
 * every plan, so every instance assigns alike the moment a rollout moves or aborts.
 */
export class AgentChooser {
  constructor(
    private readonly agents: AgentRegistry,
    private readonly rollouts: RolloutStore,
    /** `datasetMigrations.agents.<id>.stableVersion`: the stable version at first start. */
    private readonly configuredStable: Map<string, string> = new Map(),
  ) {}

  /**
   * The agent's stable version: the recorded one while it is registered. At first
   * start (or when the recorded version is no longer registered) the configured one,
   * else the newest registered, is recorded: a version registered later takes no
   * traffic until a rollout promotes it.
   */
  async stableVersion(agentId: string): Promise<string> {
    const recorded = await this.rollouts.getStableVersion(agentId);
    if (recorded && this.agents.get(agentId, recorded)) return recorded;
    const configured = this.configuredStable.get(agentId);
    const initial =
      configured && this.agents.get(agentId, configured)
        ? configured
        : this.agents.current(agentId).version;
    await this.rollouts.setStableVersion(agentId, initial, recorded ?? null);
    const now = await this.rollouts.getStableVersion(agentId);
    return now && this.agents.get(agentId, now) ? now : initial;
  }

  async choose(agentId: string, entityRef: string): Promise<ChosenAgent> {
    // Both in one read; only a stable version not recorded yet (or no longer
    // registered) takes stableVersion's path, which records one.
    const { stable: recorded, rollout } =
      await this.rollouts.stableAndActiveRollout(agentId);
    const stable =
      recorded && this.agents.get(agentId, recorded)
        ? recorded
        : await this.stableVersion(agentId);
    const candidate = rollout
      ? this.agents.get(agentId, rollout.candidateVersion)
      : undefined;
    if (
      rollout &&
      candidate &&
      rolloutBucket(rollout.id, entityRef) < rollout.share
    ) {
      return {
        agent: candidate,
        choice: `candidate: rollout ${rollout.id}, step ${
          rollout.step + 1
        } of ${rollout.steps.length}, ${rollout.share} %`,
      };
    }
    return { agent: this.agents.get(agentId, stable)!, choice: 'stable' };
  }
}
