/* eslint-disable jest/no-standalone-expect -- the test runs through `itOnPostgres`,
   which is `it` whenever PostgreSQL is available (always under CI=true). */
import { mockServices } from '@backstage/backend-test-utils';
import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import knexFactory, { Knex } from 'knex';
import { postgresDialect } from '../../dialects/postgres';
import { foreignServerPreview } from '../../dialects/postgresFdw';
import { createTestDatabases, itOn } from '../../__testUtils__/testDatabases';
import { cutOverToForeignView } from './foreignViewCutover';
import { PermanentStepError, StepContext } from './Step';

jest.setTimeout(60_000);

// A role without the rights postgres_fdw needs, as many production migrators are.
const ROLE = 'dm_test_fdw_unprivileged';
const PASSWORD = 'sw0rdf1sh?';

describe('the foreign-view cutover without the rights it needs', () => {
  const databases = createTestDatabases();
  const itOnPostgres = itOn(databases, 'POSTGRES_15');

  itOnPostgres(
    'names the connection and the fix, never the password, and retrying cannot help',
    async () => {
      const admin = await databases.init('POSTGRES_15');
      await admin.raw(`DO $dm$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${ROLE}') THEN
          CREATE ROLE ${ROLE} LOGIN;
        END IF;
      END $dm$`);
      const unprivileged: Knex = knexFactory({
        client: 'pg',
        connection: {
          ...(admin.client.config.connection as Record<string, unknown>),
          user: ROLE,
        },
      });
      const plan = {
        hash: 'a'.repeat(64),
        compatibility: 'foreign-view',
        source: { connection: 'source', schema: 'public', table: 'events' },
        target: { connection: 'target', schema: 'public', table: 'events' },
        artifacts: { cutover: [...foreignServerPreview('dm_fdw_target'), ''] },
      } as unknown as Plan;
      const ctx = {
        plan,
        source: {
          connection: 'source',
          knex: unprivileged,
          dialect: postgresDialect,
        },
        foreignServer: {
          server: { host: 'archive.internal', dbname: 'archive' },
          userMapping: { user: 'reader', password: PASSWORD },
        },
        logger: mockServices.logger.mock(),
      } as unknown as StepContext;
      try {
        const noExtension = await cutOverToForeignView(ctx).catch(e => e);
        expect(noExtension).toBeInstanceOf(PermanentStepError);
        expect(noExtension.message).toMatch(
          /^Cannot create the postgres_fdw extension in the database of connection "source" \(permission denied to create extension "postgres_fdw"\)\. A superuser must run CREATE EXTENSION postgres_fdw in that database once/,
        );

        await admin.raw('CREATE EXTENSION postgres_fdw');
        const noUsage = await cutOverToForeignView(ctx).catch(e => e);
        expect(noUsage).toBeInstanceOf(PermanentStepError);
        expect(noUsage.message).toMatch(
          /^Cannot create the foreign server dm_fdw_target in the database of connection "source" \(permission denied for foreign-data wrapper postgres_fdw\)\. The connection's user needs USAGE on the postgres_fdw wrapper \(GRANT USAGE ON FOREIGN DATA WRAPPER postgres_fdw TO <user>\)/,
        );
        for (const message of [noExtension.message, noUsage.message]) {
          expect(message).not.toContain(PASSWORD);
          expect(message).not.toContain('archive.internal');
        }
        const servers = await admin.raw(
          'SELECT COUNT(*) AS n FROM pg_foreign_server',
        );
        expect(Number(servers.rows[0].n)).toBe(0);
      } finally {
        await unprivileged.destroy();
        // Roles outlive the test database; another run may still use it, hence catch.
        await admin.raw(`DROP ROLE IF EXISTS ${ROLE}`).catch(() => undefined);
      }
    },
  );
});
