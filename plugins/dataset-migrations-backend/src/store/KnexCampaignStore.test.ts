import type { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { testStore } from '../__testUtils__/testStore';
import { KnexCampaignStore } from './KnexCampaignStore';

jest.setTimeout(60_000);

const LEASE_MS = 60_000;

describe('taking campaign datasets for planning', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', id => {
    let knex: Knex;
    let campaigns: KnexCampaignStore;

    beforeEach(async () => {
      knex = (await testStore(await databases.init(id))).knex;
      campaigns = new KnexCampaignStore(knex);
    });

    async function campaign(name: string, datasets: number) {
      return campaigns.createCampaign(
        {
          name,
          selector: {},
          agentId: 'sql',
          mode: 'auto',
          pacing: { maxRunning: 2, startsPerMinute: 60 },
          failureBudget: { window: 5, maxFailureRate: 0.5 },
          createdBy: 'user:default/admin',
        },
        Array.from({ length: datasets }, (_, i) => ({
          entityRef: `resource:default/${name}-${i}`,
          ownerRef: null,
          sourceConnection: 'warehouse',
        })),
      );
    }

    it('tells owners of each state once: datasets of several campaigns and states are marked together', async () => {
      const first = await campaign('first', 3);
      const second = await campaign('second', 2);
      const move = (c: { id: string }, name: string, state: any) =>
        campaigns.setDatasetState(
          c.id,
          `resource:default/${name}`,
          ['matched'],
          state,
        );
      await move(first, 'first-0', 'awaiting_cleanup');
      await move(first, 'first-1', 'failed');
      await move(second, 'second-0', 'awaiting_cleanup');
      await move(second, 'second-1', 'awaiting_approval');
      const told = await campaigns.listToNotify(50);
      expect(told.map(d => [d.entityRef, d.state]).sort()).toEqual([
        ['resource:default/first-0', 'awaiting_cleanup'],
        ['resource:default/first-1', 'failed'],
        ['resource:default/second-0', 'awaiting_cleanup'],
        ['resource:default/second-1', 'awaiting_approval'],
      ]);

      await campaigns.markNotified(told);
      expect(await campaigns.listToNotify(50)).toEqual([]);
      // A later state owners hear about is told again; the others stay told.
      await campaigns.setDatasetState(
        second.id,
        'resource:default/second-1',
        ['awaiting_approval'],
        'failed',
      );
      expect(
        (await campaigns.listToNotify(50)).map(d => [d.entityRef, d.state]),
      ).toEqual([['resource:default/second-1', 'failed']]);
    });

    it('takes each matched dataset of an active campaign once, even with planners side by side', async () => {
      const active = await campaign('active', 25);
      const paused = await campaign('paused', 5);
      await campaigns.setCampaignStatus(paused.id, ['active'], 'paused', null);

      const batches = await Promise.all(
        Array.from({ length: 4 }, () =>
          campaigns.takeForPlanning(10, LEASE_MS),
        ),
      );
      const later = await campaigns.takeForPlanning(10, LEASE_MS);
      const taken = [...batches.flat(), ...later];

      expect(batches.every(b => b.length <= 10)).toBe(true);
      const refs = taken.map(d => d.entityRef);
      expect(new Set(refs).size).toBe(refs.length);
      expect(refs.sort()).toEqual(
        Array.from(
          { length: 25 },
          (_, i) => `resource:default/active-${i}`,
        ).sort(),
      );
      expect(taken[0]).toMatchObject({
        campaignId: active.id,
        agentId: 'sql',
        mode: 'auto',
      });
      expect(await campaigns.takeForPlanning(10, LEASE_MS)).toEqual([]);
    });

    it('takes a dataset again once its planner’s lease ran out, and not one already planned', async () => {
      const c = await campaign('stale', 2);
      const [first, second] = await campaigns.takeForPlanning(2, LEASE_MS);
      await campaigns.recordPlan(c.id, first.entityRef, {
        state: 'blocked',
        reasonCode: 'plan-failed',
        reason: 'no such table',
      });
      // A lease of 0 ms: every mark is stale, as after a planner crashed.
      const again = await campaigns.takeForPlanning(10, -1);
      expect(again.map(d => d.entityRef)).toEqual([second.entityRef]);
    });
  });
});
