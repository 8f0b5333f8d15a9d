import { TestDatabases } from '@backstage/backend-test-utils';

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
