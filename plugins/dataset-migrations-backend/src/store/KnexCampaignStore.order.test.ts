import type { CampaignDatasetQuery } from '@internal/backstage-plugin-dataset-migrations-common';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { testStore } from '../__testUtils__/testStore';
import { KnexCampaignStore } from './KnexCampaignStore';

jest.setTimeout(60_000);

// Letters only in the sorted values, so every engine's collation orders them alike;
// few owners and states, so most rows tie and only the entity ref orders them.
const NAMES = ['kiwi', 'apple', 'fig', 'date', 'lime', 'cherry', 'banana'];
const OWNERS = ['group:default/red', null, 'group:default/blue'];
const STATES = ['queued', 'blocked', 'completed'];

describe('KnexCampaignStore listDatasets order and search', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', id => {
    async function setUp(
      datasets: Array<{ entityRef: string; ownerRef: string | null }>,
    ) {
      const { knex } = await testStore(await databases.init(id));
      const campaigns = new KnexCampaignStore(knex);
      const campaign = await campaigns.createCampaign(
        {
          name: 'order',
          selector: {},
          agentId: 'sql',
          mode: 'auto',
          pacing: { maxRunning: 2, startsPerMinute: 60 },
          failureBudget: { window: 5, maxFailureRate: 0.5 },
          createdBy: 'user:default/admin',
        },
        datasets.map(d => ({ ...d, sourceConnection: 'warehouse' })),
      );
      /** Every page of a query, walked with its cursors, as entity refs. */
      const walk = async (query: CampaignDatasetQuery) => {
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 50; page++) {
          const result = await campaigns.listDatasets(campaign.id, {
            ...query,
            limit: 3,
            cursor,
          });
          seen.push(...result.items.map(d => d.entityRef));
          if (!result.nextCursor) return seen;
          cursor = result.nextCursor;
        }
        throw new Error('the cursors never ended');
      };
      return { knex, campaign, walk };
    }

    it('orders the whole list by each column both ways, and pages through ties without skipping or repeating', async () => {
      const rows = Array.from({ length: 13 }, (_, i) => ({
        entityRef: `resource:default/${NAMES[i % NAMES.length]}${
          i < NAMES.length ? '' : 'x'
        }`,
        ownerRef: OWNERS[i % 3],
        state: STATES[i % 2 ? 0 : (i / 2) % 3],
      }));
      const { knex, campaign, walk } = await setUp(rows);
      for (const row of rows)
        await knex('dm_campaign_datasets')
          .where({ campaign_id: campaign.id, entity_ref: row.entityRef })
          .update({ state: row.state });

      const valueOf = {
        entityRef: (r: (typeof rows)[number]) => r.entityRef,
        state: (r: (typeof rows)[number]) => r.state,
        // No owner sorts as the empty text: first going up, last going down.
        owner: (r: (typeof rows)[number]) => r.ownerRef ?? '',
      };
      for (const orderBy of ['entityRef', 'state', 'owner'] as const) {
        for (const order of ['asc', 'desc'] as const) {
          const sign = order === 'asc' ? 1 : -1;
          const expected = [...rows]
            .sort((a, b) => {
              const [x, y] = [valueOf[orderBy](a), valueOf[orderBy](b)];
              if (x !== y) return sign * (x < y ? -1 : 1);
              return sign * (a.entityRef < b.entityRef ? -1 : 1);
            })
            .map(r => r.entityRef);
          expect({
            orderBy,
            order,
            paged: await walk({ orderBy, order }),
          }).toEqual({
            orderBy,
            order,
            paged: expected,
          });
        }
      }
      // The default is by entity ref, as before.
      expect(await walk({})).toEqual(
        await walk({ orderBy: 'entityRef', order: 'asc' }),
      );
    });

    it('searches entity refs and owners in any case, matching % and _ as they are', async () => {
      const { walk } = await setUp([
        { entityRef: 'resource:default/orders', ownerRef: 'group:default/a_b' },
        { entityRef: 'resource:default/fifty%off', ownerRef: null },
        { entityRef: 'resource:default/fiftyxoff', ownerRef: null },
        { entityRef: 'resource:default/plays', ownerRef: 'group:default/ab' },
      ]);
      const found = async (search: string) => (await walk({ search })).sort();
      expect(await found('%')).toEqual(['resource:default/fifty%off']);
      expect(await found('Y%O')).toEqual(['resource:default/fifty%off']);
      expect(await found('_')).toEqual(['resource:default/orders']);
      expect(await found('GROUP:DEFAULT/AB')).toEqual([
        'resource:default/plays',
      ]);
      expect(await found('nothing like it')).toEqual([]);
      // With a filter and an order.
      expect(
        await walk({ search: 'fifty', orderBy: 'entityRef', order: 'desc' }),
      ).toEqual(['resource:default/fiftyxoff', 'resource:default/fifty%off']);
    });
  });
});
