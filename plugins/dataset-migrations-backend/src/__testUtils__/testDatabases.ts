import {
  TestDatabases,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';

/**
 * The engines every database test runs on. `TestDatabases` reads the machine's
 * PostgreSQL and MariaDB from their connection-string variables (set by
 * `scripts/test.sh`); under CI=true a missing one fails instead of skipping.
 */
export function createTestDatabases() {
  return TestDatabases.create({
    ids: ['SQLITE_3', 'POSTGRES_15', 'MYSQL_8'],
  });
}

/**
 * `it` for tests that need one engine: outside CI a missing engine skips them (as
 * `eachSupportedId` drops its cases); under CI=true they run, and fail without it.
 */
export function itOn(databases: TestDatabases, id: TestDatabaseId) {
  return databases.supports(id) || process.env.CI === 'true' ? it : it.skip;
}
