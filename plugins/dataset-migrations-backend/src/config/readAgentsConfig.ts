import type { Config } from '@backstage/config';
import semver from 'semver';

const KEY = 'datasetMigrations.agents';

/**
 * `datasetMigrations.agents.<id>.stableVersion`: the version of each agent that plans
 * when the plugin first starts (later, rollouts decide). Returns agent id → version.
 */
export function readAgentsConfig(config: Config): Map<string, string> {
  const stable = new Map<string, string>();
  const agents = config.getOptionalConfig(KEY);
  for (const id of agents?.keys() ?? []) {
    const agent = agents!.getConfig(id);
    for (const key of agent.keys()) {
      if (key !== 'stableVersion') {
        throw new Error(
          `Invalid configuration: ${KEY}.${id}.${key} is not a known key; the only one is stableVersion`,
        );
      }
    }
    const version = agent.getString('stableVersion');
    if (semver.valid(version) !== version) {
      throw new Error(
        `Invalid configuration: ${KEY}.${id}.stableVersion "${version}" is not a semver version such as 1.3.0`,
      );
    }
    stable.set(id, version);
  }
  return stable;
}
