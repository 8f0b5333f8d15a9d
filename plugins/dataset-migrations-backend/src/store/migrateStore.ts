import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@internal/backstage-plugin-dataset-migrations-backend',
  'migrations',
);

/**
 * Brings the plugin's own tables up to date (knex migrations in `migrations/`), unless
 * the deployment manages schema changes itself (`database.migrations.skip`).
 */
export async function migrateStore(database: DatabaseService): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({ directory: migrationsDir });
  }
  return client;
}
