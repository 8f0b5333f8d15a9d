import fs from 'node:fs';
import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { migrateStore } from './migrateStore';

jest.setTimeout(60_000);

const PLUGIN_TABLES = [
  'dm_migrations',
  'dm_steps',
  'dm_events',
  'dm_workers',
  'dm_instances',
  'dm_active_tables',
  'dm_campaigns',
  'dm_campaign_datasets',
];
const MIGRATIONS_DIR = `${__dirname}/../../migrations`;
const MIGRATION_FILES = fs
  .readdirSync(MIGRATIONS_DIR)
  .filter(f => f.endsWith('.js'));

describe('migrateStore', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'creates the plugin tables on %p, and rolls them back',
    async id => {
      const knex = await databases.init(id);
      await migrateStore(mockServices.database({ knex }));

      for (const table of PLUGIN_TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }
      // Running again at the next start-up is a no-op, not an error.
      await migrateStore(mockServices.database({ knex }));

      const [, log] = await knex.migrate.rollback(
        { directory: MIGRATIONS_DIR },
        true,
      );
      expect(log).toHaveLength(MIGRATION_FILES.length);
      for (const table of PLUGIN_TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'on %p, gives the runs that ended before finished_at their last change, for the rollout gates',
    async id => {
      const knex = await databases.init(id);
      const directory = MIGRATIONS_DIR;
      const hot = MIGRATION_FILES.indexOf('20261204000000_hot_progress.js');
      expect(hot).toBeGreaterThan(0);
      for (let i = 0; i < hot; i++) await knex.migrate.up({ directory });
      const row = (name: string, status: string, updated: string) => ({
        id: name,
        entity_ref: `resource:default/${name}`,
        status,
        connection: 'warehouse',
        agent_id: 'sql',
        agent_version: '1.0.0',
        plan_hash: 'h',
        plan_json: '{}',
        created_by: 'user:default/test',
        created_at: new Date('2026-11-01T00:00:00Z'),
        updated_at: new Date(updated),
      });
      await knex('dm_migrations').insert([
        row('done', 'completed', '2026-11-02T10:00:00Z'),
        row('broke', 'failed', '2026-11-03T11:00:00Z'),
        row('moving', 'running', '2026-11-04T12:00:00Z'),
      ]);

      await knex.migrate.up({ directory });

      const rows = await knex('dm_migrations')
        .select('id', 'finished_at')
        .orderBy('id');
      const at = (v: unknown) => (v ? new Date(v as string).toISOString() : v);
      expect(rows.map(r => [r.id, at(r.finished_at)])).toEqual([
        ['broke', '2026-11-03T11:00:00.000Z'],
        ['done', '2026-11-02T10:00:00.000Z'],
        ['moving', null],
      ]);
    },
  );

  it('leaves the schema alone when the deployment skips migrations', async () => {
    const knex = await databases.init('SQLITE_3');
    await migrateStore(
      mockServices.database({ knex, migrations: { skip: true } }),
    );
    expect(await knex.schema.hasTable('dm_migrations')).toBe(false);
  });
});
