import type { DatasetMigrationAgent } from '@internal/backstage-plugin-dataset-migrations-node';
import { AgentRegistry } from './AgentRegistry';

const agent = (version: string) =>
  ({
    id: 'sql',
    version,
    createPlan: async () => {
      throw new Error('not used');
    },
  } as unknown as DatasetMigrationAgent);

describe('AgentRegistry', () => {
  it('plans with the newest release, a pre-release below its release', () => {
    const registry = new AgentRegistry('sql');
    // Registered in an order where a compare that ignores pre-releases would pick rc.1.
    for (const v of ['1.2.0-rc.1', '1.10.0-beta', '1.2.0', '1.9.3'])
      registry.add(agent(v));
    expect(registry.current().version).toBe('1.10.0-beta');
    const pre = new AgentRegistry('sql');
    pre.add(agent('2.0.0-rc.1'));
    pre.add(agent('2.0.0'));
    expect(pre.current().version).toBe('2.0.0');
  });

  it('refuses a version that is not semver, and one registered twice', () => {
    const registry = new AgentRegistry('sql');
    expect(() => registry.add(agent('v1.0'))).toThrow(/semver version/);
    registry.add(agent('1.0.0'));
    expect(() => registry.add(agent('1.0.0'))).toThrow(/registered twice/);
  });
});
