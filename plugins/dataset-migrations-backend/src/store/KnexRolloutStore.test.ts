import type { NewRolloutRequest } from '@internal/backstage-plugin-dataset-migrations-common';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { testStore } from '../__testUtils__/testStore';
import { KnexRolloutStore } from './KnexRolloutStore';

jest.setTimeout(60_000);

const request = (agentId: string): NewRolloutRequest => ({
  agentId,
  candidateVersion: '2.0.0',
  steps: [10, 100],
  minPerStep: 1,
  bakeSeconds: 0,
  gates: {
    maxFailureRateMargin: 0.05,
    maxRollbackRateMargin: 0.05,
    maxVerifyMismatchMargin: 0,
    minThroughputShare: 0.5,
  } as NewRolloutRequest['gates'],
  onAbort: 'finish',
});

describe('KnexRolloutStore', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', id => {
    it('reads an agent’s recorded stable version and active rollout together, as the two reads give them', async () => {
      const { knex } = await testStore(await databases.init(id));
      const rollouts = new KnexRolloutStore(knex);
      const both = async (agentId: string) => ({
        together: await rollouts.stableAndActiveRollout(agentId),
        apart: {
          stable: await rollouts.getStableVersion(agentId),
          rollout: await rollouts.activeRolloutOf(agentId),
        },
      });

      expect((await both('sql')).together).toEqual({});
      await rollouts.setStableVersion('sql', '1.0.0', null);
      await rollouts.setStableVersion('other', '9.0.0', null);
      expect((await both('sql')).together).toEqual({ stable: '1.0.0' });

      const started = await rollouts.createRollout(
        request('sql'),
        '1.0.0',
        'user:default/admin',
      );
      await rollouts.createRollout(
        request('other'),
        '9.0.0',
        'user:default/admin',
      );
      const { together, apart } = await both('sql');
      expect(together).toEqual({ stable: '1.0.0', rollout: started });
      expect(together).toEqual(apart);
      // Another agent's record and rollout stay its own.
      expect((await both('nobody')).together).toEqual({});
    });
  });
});
