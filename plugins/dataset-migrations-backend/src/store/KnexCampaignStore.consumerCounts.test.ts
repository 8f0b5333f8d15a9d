import type {
  ConsumerReport,
  ConsumerStatus,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { testStore } from '../__testUtils__/testStore';
import { KnexCampaignStore } from './KnexCampaignStore';
import { KnexConsumerReportStore } from './KnexConsumerReportStore';
import type { KnexMigrationStore } from './KnexMigrationStore';

jest.setTimeout(60_000);

const refOf = (table: string) => `resource:default/${table}`;

const planOf = (table: string): Plan =>
  ({
    hash: `hash-${table}`,
    entityRef: refOf(table),
    agent: { id: 'sql', version: '1.3.0' },
    source: { connection: 'warehouse', schema: 'public', table },
    target: { connection: 'warehouse', schema: 'public', table: `${table}_v2` },
  } as Plan);

const report = (entityRef: string, status: ConsumerStatus): ConsumerReport => ({
  entityRef,
  status,
  files: [],
  counts: { statements: 1, rewritten: 1, verified: 1, unverifiable: 0 },
  pullRequestUrl: status === 'pr-open' ? 'https://github.test/pr/1' : null,
  checkedAt: '2026-11-30T10:00:00.000Z',
  error: null,
});

async function createCampaign(campaigns: KnexCampaignStore, tables: string[]) {
  return campaigns.createCampaign(
    {
      name: `Move ${tables.join(', ')}`,
      selector: { connections: ['warehouse'] },
      agentId: 'sql',
      mode: 'auto',
      pacing: { maxRunning: 5, startsPerMinute: 60 },
      failureBudget: { window: 10, maxFailureRate: 0.5 },
      createdBy: 'user:default/admin',
    },
    tables.map(t => ({
      entityRef: refOf(t),
      ownerRef: 'group:default/data',
      sourceConnection: 'warehouse',
    })),
  );
}

const migrate = (
  store: KnexMigrationStore,
  table: string,
  campaignId: string | null,
) =>
  store.createMigration({
    entityRef: refOf(table),
    connection: 'warehouse',
    ownerRef: 'group:default/data',
    plan: planOf(table),
    createdBy: 'user:default/admin',
    campaignId,
  });

describe('KnexCampaignStore consumerCounts', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', id => {
    it("counts the consumer reports of the campaign's current migrations by status", async () => {
      const { store, knex } = await testStore(await databases.init(id));
      const campaigns = new KnexCampaignStore(knex);
      const reports = new KnexConsumerReportStore(knex);
      const campaign = await createCampaign(campaigns, [
        'orders',
        'accounts',
        'events',
      ]);
      expect(await campaigns.consumerCounts(campaign.id)).toEqual({
        total: 0,
        verified: 0,
        needsReview: 0,
        repointed: 0,
        prOpen: 0,
      });

      // `orders` was migrated, cancelled and migrated again: only the second
      // migration's consumers count.
      const cancelled = await migrate(store, 'orders', campaign.id);
      await reports.replaceReports(cancelled.id, [
        report('component:default/stale', 'needs-review'),
      ]);
      await store.setStatus(cancelled.id, 'cancelled', {
        expected: ['queued'],
        replanCampaignDataset: 'planned again',
      });
      const orders = await migrate(store, 'orders', campaign.id);
      await reports.replaceReports(orders.id, [
        report('component:default/billing', 'verified'),
        report('component:default/dashboard', 'verified'),
        report('component:default/etl', 'needs-review'),
      ]);
      await reports.setPullRequest(
        orders.id,
        'component:default/dashboard',
        'https://github.test/pr/2',
      );
      // A consumer of two of its datasets counts once per dataset.
      const accounts = await migrate(store, 'accounts', campaign.id);
      await reports.replaceReports(accounts.id, [
        report('component:default/billing', 'repointed'),
        report('component:default/reporter', 'verified'),
      ]);
      // `events` has no migration yet; a migration outside the campaign and another
      // campaign's do not count.
      const other = await createCampaign(campaigns, ['clicks']);
      const clicks = await migrate(store, 'clicks', other.id);
      await reports.replaceReports(clicks.id, [
        report('component:default/etl', 'verified'),
      ]);
      const alone = await migrate(store, 'events', null);
      await reports.replaceReports(alone.id, [
        report('component:default/etl', 'pr-open'),
      ]);

      expect(await campaigns.consumerCounts(campaign.id)).toEqual({
        total: 5,
        verified: 2,
        needsReview: 1,
        repointed: 1,
        prOpen: 1,
      });
      expect(await campaigns.consumerCounts(other.id)).toEqual({
        total: 1,
        verified: 1,
        needsReview: 0,
        repointed: 0,
        prOpen: 0,
      });
    });
  });
});
