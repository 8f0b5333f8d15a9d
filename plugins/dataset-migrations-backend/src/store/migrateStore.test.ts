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

  it('leaves the schema alone when the deployment skips migrations', async () => {
    const knex = await databases.init('SQLITE_3');
    await migrateStore(
      mockServices.database({ knex, migrations: { skip: true } }),
    );
    expect(await knex.schema.hasTable('dm_migrations')).toBe(false);
  });
});
