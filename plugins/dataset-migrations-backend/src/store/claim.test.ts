import type {
  Plan,
  PlanTarget,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { testStore } from '../__testUtils__/testStore';
import { KnexMigrationStore } from './KnexMigrationStore';
import type { ConcurrencyCaps } from './concurrencyCaps';

jest.setTimeout(60_000);

const CAPS: ConcurrencyCaps = {
  perSourceConnection: 2,
  perTargetConnection: 8,
  perOwner: 8,
  connections: { archive: { maxRunning: 1 } },
};

describe('claiming under concurrency caps', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', id => {
    let knex: Knex;
    let store: KnexMigrationStore;
    let n = 0;

    beforeEach(async () => {
      knex = (await testStore(await databases.init(id))).knex;
      store = new KnexMigrationStore(knex, { caps: CAPS });
    });

    /** A queued migration of a new table from `source` to `target`. */
    async function queue(
      source: string,
      target: string,
      options: { owner?: string; campaignId?: string } = {},
    ) {
      const table = `t${n++}`;
      const plan = {
        hash: `hash-${table}`,
        entityRef: `resource:default/${table}`,
        agent: { id: 'sql', version: '1.0.0' },
        source: { connection: source, table } as TableSchema,
        target: { connection: target, table: `${table}_v2` } as PlanTarget,
      } as Plan;
      const m = await store.createMigration({
        entityRef: plan.entityRef,
        connection: source,
        ownerRef: options.owner ?? null,
        plan,
        createdBy: 'user:default/test',
        campaignId: options.campaignId,
      });
      // Distinct creation times: the claim takes the oldest first.
      await knex('dm_migrations')
        .where({ id: m.id })
        .update({ created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)) });
      return m.id;
    }

    async function campaign(
      status: string,
      pacing: { maxRunning: number; startsPerMinute: number },
    ) {
      const campaignId = crypto.randomUUID();
      const now = new Date();
      await knex('dm_campaigns').insert({
        id: campaignId,
        name: `campaign ${campaignId}`,
        status,
        selector_json: '{}',
        agent_id: 'sql',
        mode: 'auto',
        max_running: pacing.maxRunning,
        starts_per_minute: pacing.startsPerMinute,
        budget_window: 10,
        budget_max_failure_rate: 0.5,
        created_by: 'user:default/admin',
        created_at: now,
        updated_at: now,
      });
      return campaignId;
    }

    const claim = async () =>
      (await store.claimMigration('host:1:aaaa/0', 60_000))?.id;

    it('starts a queued migration only while its source and target connections have room', async () => {
      const a = await queue('warehouse', 'lake');
      const b = await queue('warehouse', 'lake');
      const c = await queue('warehouse', 'lake');
      const d = await queue('crm', 'archive');
      const e = await queue('crm', 'archive');
      // Two from warehouse (its cap), then crm's first; archive takes one as a target.
      expect(await claim()).toBe(a);
      expect(await claim()).toBe(b);
      expect(await claim()).toBe(d);
      expect(await claim()).toBeUndefined();
      expect(await store.capLoads()).toEqual(
        expect.arrayContaining([
          { scope: 'source-connection:warehouse', cap: 2, running: 2 },
          { scope: 'source-connection:crm', cap: 2, running: 1 },
          { scope: 'target-connection:archive', cap: 1, running: 1 },
          { scope: 'target-connection:lake', cap: 8, running: 2 },
        ]),
      );

      // Running counts whether or not a worker holds it; a finished one frees its place.
      await store.setStatus(a, 'running', { expected: ['queued'] });
      await store.releaseLease(a, 'host:1:aaaa/0');
      expect(await claim()).toBe(a); // started work is claimed as before
      await store.releaseLease(a, 'host:1:aaaa/0');
      expect(await claim()).toBe(a);
      await store.setStatus(a, 'awaiting_cleanup', { expected: ['running'] });
      expect(await claim()).toBe(c);
      // A claimed queued migration whose lease expired holds no place any more.
      await knex('dm_migrations')
        .where({ id: d })
        .update({ lease_expires_at: new Date(Date.now() - 1000) });
      expect(await claim()).toBe(d);
      expect(await claim()).toBeUndefined();
      await store.setStatus(d, 'cancelled', { expected: ['queued'] });
      expect(await claim()).toBe(e);
    });

    it('keeps the per-owner cap across connections, single migrations and campaigns alike', async () => {
      store = new KnexMigrationStore(knex, { caps: { ...CAPS, perOwner: 1 } });
      const active = await campaign('active', {
        maxRunning: 10,
        startsPerMinute: 100,
      });
      const a = await queue('warehouse', 'lake', { owner: 'group:default/a' });
      await queue('crm', 'lake', {
        owner: 'group:default/a',
        campaignId: active,
      });
      const c = await queue('crm', 'lake', { owner: 'group:default/b' });
      const d = await queue('crm', 'lake');
      expect(await claim()).toBe(a);
      expect(await claim()).toBe(c);
      expect(await claim()).toBe(d);
      expect(await claim()).toBeUndefined();
    });

    it('leaves the queued work of a paused, cancelled or completed campaign alone', async () => {
      const ids: Record<string, string> = {};
      for (const status of ['paused', 'cancelled', 'completed', 'active']) {
        const campaignId = await campaign(status, {
          maxRunning: 5,
          startsPerMinute: 100,
        });
        ids[status] = await queue(`c_${status}`, 'lake', { campaignId });
      }
      expect(await claim()).toBe(ids.active);
      expect(await claim()).toBeUndefined();
      await knex('dm_campaigns')
        .whereNot({ status: 'active' })
        .where({ status: 'paused' })
        .update({ status: 'active' });
      expect(await claim()).toBe(ids.paused);
    });

    it("keeps a campaign's running cap and its starts per minute", async () => {
      const capped = await campaign('active', {
        maxRunning: 1,
        startsPerMinute: 100,
      });
      const first = await queue('warehouse', 'lake', { campaignId: capped });
      const second = await queue('warehouse', 'lake', { campaignId: capped });
      expect(await claim()).toBe(first);
      expect(await claim()).toBeUndefined();
      expect(await store.capLoads(capped)).toEqual(
        expect.arrayContaining([{ scope: 'campaign', cap: 1, running: 1 }]),
      );
      await store.setStatus(first, 'running', { expected: ['queued'] });
      await store.setStatus(first, 'awaiting_cleanup', {
        expected: ['running'],
      });
      expect(await claim()).toBe(second);

      const paced = await campaign('active', {
        maxRunning: 10,
        startsPerMinute: 2,
      });
      const ids = [
        await queue('crm', 'lake', { campaignId: paced }),
        await queue('crm', 'lake', { campaignId: paced }),
        await queue('crm', 'lake', { campaignId: paced }),
      ];
      expect(await claim()).toBe(ids[0]);
      expect(await claim()).toBe(ids[1]);
      expect(await claim()).toBeUndefined();
      // Started and finished within the minute: still two starts in it.
      for (const started of ids.slice(0, 2)) {
        await store.setStatus(started, 'running', { expected: ['queued'] });
        await store.setStatus(started, 'awaiting_cleanup', {
          expected: ['running'],
        });
      }
      expect(await store.startsLastMinute(paced)).toBe(2);
      expect(await claim()).toBeUndefined();
      // A minute later the rate allows the next.
      await knex('dm_migrations')
        .whereIn('id', ids.slice(0, 2))
        .update({ started_at: new Date(Date.now() - 61_000) });
      expect(await store.startsLastMinute(paced)).toBe(0);
      expect(await claim()).toBe(ids[2]);
    });

    it('lets only one of many concurrent claims take the last free place', async () => {
      store = new KnexMigrationStore(knex, {
        caps: { ...CAPS, perSourceConnection: 1 },
      });
      for (let i = 0; i < 6; i++) await queue('warehouse', 'lake');
      const claims = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          store.claimMigration(`host:1:aaaa/${i}`, 60_000),
        ),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
    });
  });
});
