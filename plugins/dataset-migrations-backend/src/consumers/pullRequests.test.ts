import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
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
  seedAccounts,
  writeConsumerFiles,
} from '../__testUtils__/consumerFixtures';
import { startMockGithubApi } from '../__testUtils__/mockGithubApi';
import { standInConsumerAgent } from '../__testUtils__/standInConsumerAgent';
import { standInParity } from '../__testUtils__/standInParity';
import { testStore } from '../__testUtils__/testStore';
import { ConsumerService } from './ConsumerService';
import { FileUrlReader } from './FileUrlReader';
import { GithubPullRequests } from './GithubPullRequests';
import { removeTempDir } from '../__testUtils__/tempDir';

/** A consumer whose code is in acme/billing on GitHub. */
const githubConsumer: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'billing',
    namespace: 'default',
    annotations: {
      'backstage.io/source-location':
        'url:https://github.com/acme/billing/tree/main/',
      'dataset-migrations.io/sql': 'queries/*.sql',
    },
  },
  spec: { type: 'service', owner: 'group:default/analytics' },
};

describe('pull requests for a consumer on GitHub (a local mock of the GitHub API)', () => {
  let dir: string;
  let github: Awaited<ReturnType<typeof startMockGithubApi>>;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-pr-'));
    writeConsumerFiles(dir, 'local', { 'q/read.sql': BILLING_SQL });
    github = await startMockGithubApi({
      fullName: 'acme/billing',
      branch: 'main',
      files: {
        'queries/invoices.sql': BILLING_SQL,
        'README.md': '# billing',
      },
    });
  });
  afterEach(async () => {
    await github.close();
    removeTempDir(dir);
  });

  async function setUp() {
    const connections = new ConnectionRegistry(
      new Map([
        [
          'warehouse',
          {
            name: 'warehouse',
            client: 'better-sqlite3' as const,
            connection: { filename: path.join(dir, 'warehouse.sqlite') },
          },
        ],
      ]),
    );
    await seedAccounts(connections.get('warehouse'));
    const state = await testStore();
    const config = new ConfigReader({
      integrations: {
        github: [
          {
            host: 'github.com',
            apiBaseUrl: github.apiBaseUrl,
            token: 'test-token',
          },
        ],
      },
      datasetMigrations: { consumers: { fileRoots: [dir] } },
    });
    const service = new ConsumerService({
      store: state.store,
      reports: new KnexConsumerReportStore(state.knex),
      catalog: catalogServiceMock({
        entities: [
          accountsDataset(['billing', 'local']),
          githubConsumer,
          consumerEntity(dir, 'local', 'q/*.sql'),
        ],
      }),
      auth: mockServices.auth(),
      // Backstage's own readers (GitHub among them) and the plugin's file: reader.
      urlReader: UrlReaders.default({
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
      appBaseUrl: 'http://localhost:3000/',
    });
    const record = await cutOverMigration(
      state.store,
      accountsPlan('warehouse', 'sqlite'),
    );
    return { service, record, state, connections };
  }

  it('reads the code from GitHub, opens one pull request with the patched files, and records it', async () => {
    const { service, record, state, connections } = await setUp();
    const reports = await service.check(record);
    const billing = reports.find(
      r => r.entityRef === 'component:default/billing',
    )!;
    expect(billing.files.map(f => f.url)).toEqual([
      // The URL reader names files under the location's own /tree/ path.
      'https://github.com/acme/billing/tree/main/queries/invoices.sql',
    ]);
    expect(billing.files[0].diff).toContain('--- a/queries/invoices.sql');

    const credentials = mockCredentials.user();
    const opened = await service.openPullRequest(
      record.id,
      'component:default/billing',
      credentials,
    );
    expect(opened).toMatchObject({
      status: 'pr-open',
      pullRequestUrl: 'https://github.com/acme/billing/pull/7',
    });

    const posted = github.calls.filter(c => c.method === 'POST');
    expect(posted.map(c => c.path)).toEqual([
      '/repos/acme/billing/git/trees',
      '/repos/acme/billing/git/commits',
      '/repos/acme/billing/git/refs',
      '/repos/acme/billing/pulls',
    ]);
    const [tree, commit, ref, pull] = posted.map(c => c.body);
    expect(tree.base_tree).toBe('b'.repeat(40));
    expect(tree.tree).toHaveLength(1);
    expect(tree.tree[0].path).toBe('queries/invoices.sql');
    expect(tree.tree[0].content).toContain(
      'SELECT a.id, a.full_name FROM accounts_v2 a WHERE a.id < 5',
    );
    // The mismatched read is not offered: it stays as it was.
    expect(tree.tree[0].content).toContain(
      'SELECT fullname FROM accounts WHERE id = 5;',
    );
    expect(commit.parents).toEqual(['a'.repeat(40)]);
    expect(ref.ref).toBe(
      `refs/heads/dataset-migrations/${record.id.slice(0, 8)}-accounts_v2`,
    );
    expect(pull).toMatchObject({
      base: 'main',
      head: `dataset-migrations/${record.id.slice(0, 8)}-accounts_v2`,
      title: 'Read accounts_v2 instead of accounts',
    });
    expect(pull.body).toContain(
      `http://localhost:3000/dataset-migrations/migrations/${record.id}`,
    );

    // Stored: the list shows it, a second click is refused, a new check keeps it.
    expect((await service.list(record.id, credentials)).items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          entityRef: 'component:default/billing',
          status: 'pr-open',
        }),
      ]),
    );
    await expect(
      service.openPullRequest(
        record.id,
        'component:default/billing',
        credentials,
      ),
    ).rejects.toThrow(/already has a pull request.*pull\/7/);
    const again = await service.check(record);
    expect(
      again.find(r => r.entityRef === 'component:default/billing'),
    ).toMatchObject({ status: 'pr-open' });

    // A consumer read from files has no pull request: its patch is downloadable.
    await expect(
      service.openPullRequest(
        record.id,
        'component:default/local',
        credentials,
      ),
    ).rejects.toThrow(
      /not on a configured GitHub integration.*download the patch/,
    );
    await connections.destroy();
    await state.destroy();
  });
});
