import { mockServices } from '@backstage/backend-test-utils';
import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { createTestMigration, testStore } from '../../__testUtils__/testStore';
import { REPLANNED_WITHDRAWN } from '../../store/campaignSync';
import { KnexCampaignStore } from '../../store/KnexCampaignStore';
import { KnexRolloutStore } from '../../store/KnexRolloutStore';
import { RolloutService } from './RolloutService';

jest.setTimeout(60_000);

const CANDIDATE = '1.4.0';

function planOf(table: string): Plan {
  return {
    hash: `hash-${table}`,
    entityRef: `resource:default/${table}`,
    agent: { id: 'sql', version: CANDIDATE },
    source: { connection: 'warehouse', schema: 'public', table },
    target: { connection: 'warehouse', schema: 'public', table: `${table}_v2` },
  } as Plan;
}

/**
 * An instance records a rollout's abort and dies before the abort's follow-up ran (or
 * halfway through it): the rollout loop of any instance finishes that follow-up, and a
 * campaign's dataset never stays skipped because of the crash.
 */
describe('an aborted rollout whose follow-up a crash cut short', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'is settled by the next evaluation on %p',
    async id => {
      const { store, knex } = await testStore(await databases.init(id));
      const campaigns = new KnexCampaignStore(knex);
      const rollouts = new KnexRolloutStore(knex);

      const campaign = await campaigns.createCampaign(
        {
          name: 'rename',
          selector: { connections: ['warehouse'] },
          agentId: 'sql',
          mode: 'auto',
          pacing: { maxRunning: 4, startsPerMinute: 60 },
          failureBudget: { window: 10, maxFailureRate: 0.5 },
          createdBy: 'user:default/admin',
        },
        [
          {
            entityRef: 'resource:default/queued_one',
            ownerRef: 'group:default/team-a',
            sourceConnection: 'warehouse',
          },
        ],
      );
      // The campaign queued a migration the candidate planned...
      const queued = await createTestMigration(store, planOf('queued_one'));
      await knex('dm_campaign_datasets')
        .where({ campaign_id: campaign.id })
        .update({
          state: 'queued',
          migration_id: queued.id,
          agent_version: CANDIDATE,
        });
      // ...and another candidate migration is running.
      const running = await createTestMigration(store, planOf('running_one'));
      expect(
        await store.setStatus(running.id, 'running', { expected: ['queued'] }),
      ).toBe(true);

      const rollout = await rollouts.createRollout(
        {
          agentId: 'sql',
          candidateVersion: CANDIDATE,
          steps: [50, 100],
          minPerStep: 1,
          bakeSeconds: 0,
          gates: {
            maxFailureRateMargin: 0.1,
            maxRollbackRateMargin: 0.1,
            maxVerifyMismatchMargin: 0,
            minThroughputShare: 0.5,
          },
          onAbort: 'rollback',
        },
        '1.3.0',
        'user:default/admin',
      );
      // The abort is recorded; the instance that recorded it dies here.
      expect(
        await rollouts.advance(
          rollout.id,
          rollout.step,
          { step: rollout.step, status: 'aborted' },
          {
            decision: 'abort',
            step: rollout.step,
            share: rollout.share,
            message: 'aborted by an admin',
            actor: 'user:default/admin',
            candidate: null,
            stable: null,
          },
        ),
      ).toBe(true);
      expect((await rollouts.listUnsettledAborts()).map(r => r.id)).toEqual([
        rollout.id,
      ]);

      // Another instance's rollout loop evaluates. Only the stores take part in an
      // abort's follow-up; the judging parts are not reached without active rollouts.
      const service = new RolloutService({
        rollouts,
        store,
        campaigns,
        agents: undefined as never,
        chooser: undefined as never,
        access: undefined as never,
        auditor: mockServices.auditor.mock(),
        logger: mockServices.logger.mock(),
        onChanged: () => {},
      });
      expect(await service.evaluate()).toBe(1);

      expect((await store.getMigration(queued.id))!.status).toBe('cancelled');
      expect((await store.getMigration(running.id))!.status).toBe(
        'rolling_back',
      );
      const dataset = await knex('dm_campaign_datasets')
        .where({ campaign_id: campaign.id })
        .first();
      expect(dataset).toMatchObject({
        state: 'matched',
        migration_id: null,
        agent_version: null,
        reason: REPLANNED_WITHDRAWN,
      });
      expect(await rollouts.listUnsettledAborts()).toEqual([]);

      // Settled once: the next evaluation has nothing to do.
      expect(await service.evaluate()).toBe(0);
    },
  );
});
