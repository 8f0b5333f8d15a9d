import type {
  ConsumerReport,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { createTestMigration, testStore } from '../__testUtils__/testStore';
import { KnexConsumerReportStore } from './KnexConsumerReportStore';

jest.setTimeout(60_000);

const planOf = (table: string): Plan =>
  ({
    hash: `hash-${table}`,
    entityRef: `resource:default/${table}`,
    agent: { id: 'sql', version: '1.3.0' },
    source: { connection: 'warehouse', schema: 'public', table },
    target: { connection: 'warehouse', schema: 'public', table: `${table}_v2` },
  } as Plan);

const report = (entityRef: string): ConsumerReport => ({
  entityRef,
  status: 'verified',
  files: [],
  counts: { statements: 1, rewritten: 1, verified: 1, unverifiable: 0 },
  pullRequestUrl: null,
  checkedAt: '2026-11-30T10:00:00.000Z',
  error: null,
});

describe('KnexConsumerReportStore', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', id => {
    it("replaces a migration's reports, down to none, and leaves other migrations' alone", async () => {
      const { store, knex } = await testStore(await databases.init(id));
      const reports = new KnexConsumerReportStore(knex);
      const a = await createTestMigration(store, planOf('a'));
      const b = await createTestMigration(store, planOf('b'));
      await reports.replaceReports(a.id, [
        report('component:default/x'),
        report('component:default/y'),
      ]);
      await reports.replaceReports(b.id, [report('component:default/x')]);
      const refs = async (migrationId: string) =>
        (await reports.listReports(migrationId)).map(r => r.entityRef);

      await reports.replaceReports(a.id, [report('component:default/y')]);
      expect(await refs(a.id)).toEqual(['component:default/y']);
      // A check that finds no consumer any more leaves none.
      await reports.replaceReports(a.id, []);
      expect(await refs(a.id)).toEqual([]);
      expect(await refs(b.id)).toEqual(['component:default/x']);
    });
  });
});
