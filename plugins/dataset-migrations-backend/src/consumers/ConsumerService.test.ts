/* eslint-disable jest/no-standalone-expect -- the engine tests run through `itOn`, which is
   `it` whenever the engine is available (always under CI=true). */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { DatasetAccess } from '../permissions/DatasetAccess';
import { KnexConsumerReportStore } from '../store/KnexConsumerReportStore';
import {
  accountsDataset,
  accountsPlan,
  BILLING_SQL,
  consumerEntity,
  cutOverMigration,
  DASHBOARD_SQL,
  REPOINTED_SQL,
  seedAccounts,
  writeConsumerFiles,
} from '../__testUtils__/consumerFixtures';
import { engineConnection } from '../__testUtils__/engineConnections';
import { standInConsumerAgent } from '../__testUtils__/standInConsumerAgent';
import { standInParity } from '../__testUtils__/standInParity';
import { createTestDatabases, itOn } from '../__testUtils__/testDatabases';
import { createTestMigration, testStore } from '../__testUtils__/testStore';
import { ConsumerService } from './ConsumerService';
import { FileUrlReader } from './FileUrlReader';
import { GithubPullRequests } from './GithubPullRequests';
import { removeTempDir } from '../__testUtils__/tempDir';

jest.setTimeout(60_000);

const ENGINE = {
  SQLITE_3: 'sqlite',
  POSTGRES_15: 'postgres',
  MYSQL_8: 'mysql',
} as const;

describe('ConsumerService', () => {
  const databases = createTestDatabases();
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-consumers-'));
    writeConsumerFiles(dir, 'billing', { 'queries/invoices.sql': BILLING_SQL });
    writeConsumerFiles(dir, 'dashboard', {
      'queries/daily.sql': DASHBOARD_SQL,
      'queries/notes.txt': 'accounts',
    });
    writeConsumerFiles(dir, 'moved', { 'sql/read.sql': REPOINTED_SQL });
  });
  afterEach(() => removeTempDir(dir));

  async function setUp(id: TestDatabaseId) {
    const connection = await engineConnection(databases, id, 'warehouse');
    const connections = new ConnectionRegistry(
      new Map([['warehouse', connection]]),
    );
    await seedAccounts(connections.get('warehouse'));
    const state = await testStore(await databases.init(id));
    const config = new ConfigReader({
      datasetMigrations: { consumers: { fileRoots: [dir] } },
    });
    const reports = new KnexConsumerReportStore(state.knex);
    const service = new ConsumerService({
      store: state.store,
      reports,
      catalog: catalogServiceMock({
        entities: [
          accountsDataset(['billing', 'dashboard', 'moved', 'silent']),
          consumerEntity(dir, 'billing', 'queries/*.sql'),
          consumerEntity(dir, 'dashboard', 'queries/*'),
          consumerEntity(dir, 'moved', 'sql/*.sql'),
          consumerEntity(dir, 'silent'),
        ],
      }),
      auth: mockServices.auth(),
      // The URL reader the backend builds, with the plugin's reader of file: URLs.
      urlReader: UrlReaders.create({
        config,
        logger: mockServices.logger.mock(),
        factories: [FileUrlReader.factory],
      }),
      integrations: ScmIntegrations.fromConfig(config),
      connections,
      access: new DatasetAccess(mockServices.permissions()),
      logger: mockServices.logger.mock(),
      agents: [standInConsumerAgent()],
      verifyParity: standInParity,
      // The stand-in runs reads only and commits what it runs: writes stay unchecked here
      // (the real check of writes is in scenarios/consumerWrites.test.ts).
      checksWrites: false,
      pullRequests: GithubPullRequests.fromConfig(config),
      appBaseUrl: 'http://localhost:3000',
    });
    const plan = accountsPlan('warehouse', ENGINE[id as keyof typeof ENGINE]);
    return { service, state, reports, plan, connections };
  }

  describe.each(['SQLITE_3', 'POSTGRES_15', 'MYSQL_8'] as const)(
    'on %s',
    id => {
      itOn(databases, id)(
        'rewrites, proves by parity and reports each consumer, and stores the reports',
        async () => {
          const { service, state, reports, plan, connections } = await setUp(
            id,
          );
          const record = await cutOverMigration(state.store, plan);
          const checked = await service.check(record);
          const byRef = Object.fromEntries(checked.map(r => [r.entityRef, r]));

          const billing = byRef['component:default/billing'];
          expect(billing.status).toBe('needs-review');
          expect(
            billing.files[0].statements.map(s => [s.line, s.outcome]),
          ).toEqual([
            [2, 'verified'],
            [3, 'verified'],
            [4, 'mismatch'],
            [5, 'rewritten'],
            [6, 'untouched'],
            [7, 'unverifiable'],
          ]);
          expect(billing.counts).toEqual({
            statements: 6,
            rewritten: 3,
            verified: 2,
            unverifiable: 2,
          });
          expect(billing.files[0].statements[0].parity).toMatchObject({
            oldRows: 4,
            newRows: 4,
            ordered: true,
          });
          expect(billing.files[0].statements[3].reason).toMatch(/it writes/);
          // The patch holds the offered rewrites only: not the mismatched read.
          const diff = billing.files[0].diff!;
          expect(diff).toContain('--- a/queries/invoices.sql');
          expect(diff).toContain(
            '+SELECT a.id, a.full_name FROM accounts_v2 a WHERE a.id < 5 ORDER BY a.id;',
          );
          expect(diff).toContain(
            "+INSERT INTO accounts_v2 (id, full_name) VALUES (9, 'Zed');",
          );
          expect(diff).not.toContain('+SELECT fullname FROM accounts_v2');
          expect(diff).not.toContain('+SELECT full_name FROM accounts_v2');

          const dashboard = byRef['component:default/dashboard'];
          expect(dashboard.status).toBe('verified');
          expect(dashboard.files.map(f => path.basename(f.url))).toEqual([
            'daily.sql',
          ]);
          expect(dashboard.files[0].statements[0].parity?.sample).toHaveLength(
            1,
          );
          expect(byRef['component:default/moved']).toMatchObject({
            status: 'repointed',
            counts: { statements: 1, rewritten: 0 },
          });
          expect(byRef['component:default/silent']).toMatchObject({
            status: 'needs-review',
            error: expect.stringMatching(/dataset-migrations\.io\/sql/),
          });

          expect(await reports.listReports(record.id)).toEqual(
            [...checked].sort((a, b) => a.entityRef.localeCompare(b.entityRef)),
          );
          // The write was never run: the old table has its five rows.
          const old = connections.get('warehouse');
          expect(Number((await old('accounts').count({ n: '*' }))[0].n)).toBe(
            5,
          );
          await connections.destroy();
          await state.destroy();
        },
      );
    },
  );

  it('leaves rewrites unproven until verify has passed, and lists consumers on the old name', async () => {
    const { service, state, plan, connections } = await setUp('SQLITE_3');
    const queued = await createTestMigration(state.store, plan);
    const [billing] = await service.check(queued);
    expect(billing.entityRef).toBe('component:default/billing');
    expect(billing.status).toBe('needs-review');
    expect(billing.files[0].statements[0]).toMatchObject({
      outcome: 'rewritten',
      reason: expect.stringMatching(/not proven yet.*queued/),
    });

    const onOldName = await service.consumersOnOldName(queued);
    expect(onOldName).toEqual([
      {
        entityRef: 'component:default/billing',
        where: 'invoices.sql line 2, 3, 4, 5, 7',
      },
      { entityRef: 'component:default/dashboard', where: 'daily.sql line 1' },
    ]);

    // Once the consumers are repointed, none is left.
    writeConsumerFiles(dir, 'billing', {
      'queries/invoices.sql': 'SELECT id FROM accounts_v2;\n',
    });
    fs.writeFileSync(
      path.join(dir, 'dashboard/queries/daily.sql'),
      'SELECT 1;\n',
    );
    expect(await service.consumersOnOldName(queued)).toEqual([]);
    await connections.destroy();
    await state.destroy();
  });

  it('checks by itself once cut over, reading the migration back only for a dataset someone consumes', async () => {
    const { service, state, reports, plan, connections } = await setUp(
      'SQLITE_3',
    );
    const record = await cutOverMigration(state.store, plan);
    const reads = jest.spyOn(state.store, 'getMigration');
    const reportsOnceThere = async (count: number) => {
      for (let i = 0; i < 200; i++) {
        const stored = await reports.listReports(record.id);
        if (stored.length === count) return stored;
        await new Promise(r => setTimeout(r, 25));
      }
      throw new Error(`never ${count} report(s)`);
    };

    service.checkInBackground(record);
    const stored = await reportsOnceThere(4);
    expect(stored.map(r => r.entityRef)).toEqual([
      'component:default/billing',
      'component:default/dashboard',
      'component:default/moved',
      'component:default/silent',
    ]);
    expect(reads).toHaveBeenCalledTimes(1);

    // Nobody consumes this dataset: its reports are cleared, the migration not read.
    service.checkInBackground({
      id: record.id,
      entityRef: 'resource:default/nobody-reads-it',
    });
    await reportsOnceThere(0);
    expect(reads).toHaveBeenCalledTimes(1);
    await connections.destroy();
    await state.destroy();
  });

  it('serves the patch, which applies to the files with git', async () => {
    const { service, state, plan, connections } = await setUp('SQLITE_3');
    const record = await cutOverMigration(state.store, plan);
    await service.check(record);
    const credentials = mockCredentials.user();
    const patch = await service.patch(
      record.id,
      'component:default/billing',
      credentials,
    );
    // Paths are relative to the consumer's catalog file: git applies it there.
    execFileSync('git', ['apply', '-'], {
      cwd: path.join(dir, 'billing'),
      input: patch,
    });
    const patched = fs.readFileSync(
      path.join(dir, 'billing/queries/invoices.sql'),
      'utf8',
    );
    expect(patched).toContain('FROM accounts_v2 a WHERE a.id < 5');
    expect(patched).toContain('SELECT fullname FROM accounts WHERE id = 5;');
    await expect(
      service.patch(record.id, 'component:default/moved', credentials),
    ).rejects.toThrow(/no longer names the old table/);
    await connections.destroy();
    await state.destroy();
  });
});
