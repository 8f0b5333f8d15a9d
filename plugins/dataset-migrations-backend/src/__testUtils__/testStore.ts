import { mockServices } from '@backstage/backend-test-utils';
import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import knexFactory, { Knex } from 'knex';
import { KnexMigrationStore } from '../store/KnexMigrationStore';
import type { MigrationRecord, MigrationStore } from '../store/MigrationStore';
import { migrateStore } from '../store/migrateStore';

/** The plugin's own tables, migrated, behind the real store. */
export type TestStore = {
  store: KnexMigrationStore;
  knex: Knex;
  /** Closes an in-memory database this helper opened; leaves a given one to its owner. */
  destroy(): Promise<void>;
};

/**
 * The plugin's store over `knex` (a `TestDatabases` database, for tests that put the
 * plugin's state on the dataset's engine) or, by default, over a fresh in-memory SQLite
 * database, as a single-instance backend keeps it.
 */
export async function testStore(knex?: Knex): Promise<TestStore> {
  const db =
    knex ??
    knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
  await migrateStore(mockServices.database({ knex: db }));
  return {
    store: new KnexMigrationStore(db),
    knex: db,
    destroy: async () => {
      if (!knex) await db.destroy();
    },
  };
}

/** A queued migration of `plan`, as the API creates one when a user starts it. */
export function createTestMigration(
  store: MigrationStore,
  plan: Plan,
  createdBy = 'user:default/test',
): Promise<MigrationRecord> {
  return store.createMigration({
    entityRef: plan.entityRef,
    connection: plan.source.connection,
    ownerRef: null,
    plan,
    createdBy,
  });
}

/**
 * A fresh in-memory store for each test of the enclosing `describe`: registers the
 * `beforeEach` that opens it and the `afterEach` that closes it, and returns a getter.
 */
export function useTestStore(): () => KnexMigrationStore {
  let current: TestStore | undefined;
  beforeEach(async () => {
    current = await testStore();
  });
  afterEach(async () => {
    await current?.destroy();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('The test store exists only inside a test');
    return current.store;
  };
}
