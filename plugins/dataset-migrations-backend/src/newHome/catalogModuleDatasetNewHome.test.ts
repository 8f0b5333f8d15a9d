import { startTestBackend } from '@backstage/backend-test-utils';
import {
  catalogProcessingExtensionPoint,
  type CatalogProcessor,
} from '@backstage/plugin-catalog-node';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { datasetEntity } from '../__testUtils__/datasetEntity';
import { testBackendFeatures } from '../__testUtils__/testBackend';
import { catalogModuleDatasetNewHome } from './catalogModuleDatasetNewHome';
import { removeTempDir } from '../__testUtils__/tempDir';

jest.setTimeout(60_000);

const API = '/api/dataset-migrations';
const DATASET = 'resource:default/page-views';

async function waitForStatus(server: any, id: string, status: string) {
  for (let i = 0; i < 300; i++) {
    const res = await request(server).get(`${API}/migrations/${id}`);
    if (res.body.migration?.status === status) return;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`Migration ${id} never reached ${status}`);
}

describe('catalogModuleDatasetNewHome', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-new-home-'));
  });
  afterEach(() => removeTempDir(dir));

  it('points the entity at the new home once the plugin completed a migration of it', async () => {
    const filename = path.join(dir, 'warehouse.sqlite');
    const db = new Database(filename);
    db.exec('CREATE TABLE "pageViews" ("id" INTEGER PRIMARY KEY)');
    db.exec('INSERT INTO "pageViews" VALUES (1), (2)');
    db.close();
    const entity = datasetEntity('page-views', 'warehouse:pageViews');
    const processors: CatalogProcessor[] = [];
    const { server } = await startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          {
            addProcessor: (
              ...added: Array<CatalogProcessor | CatalogProcessor[]>
            ) => processors.push(...added.flat()),
          },
        ],
      ],
      features: [
        catalogModuleDatasetNewHome,
        ...testBackendFeatures({
          config: {
            connections: {
              warehouse: { client: 'better-sqlite3', connection: { filename } },
            },
            rules: [
              {
                name: 'snake',
                match: { connection: 'warehouse' },
                target: { table: '{table:snake}' },
              },
            ],
            executor: { workerSlots: 1, retryBaseSeconds: 0.1 },
          },
          entities: [entity],
        }),
      ],
    });
    expect(processors.map(p => p.getProcessorName())).toEqual([
      'DatasetNewHomeProcessor',
    ]);
    const [processor] = processors;
    const preProcess = () =>
      processor.preProcessEntity!(
        entity,
        { type: 'url', target: 'file:/catalog-info.yaml' },
        () => {},
        { type: 'url', target: 'file:/catalog-info.yaml' },
        { get: async () => undefined, set: async () => {} },
      );

    // Nothing moved yet: the entity stays as it is.
    expect(await preProcess()).toBe(entity);

    const plan = await request(server)
      .post(`${API}/plans`)
      .send({ entityRef: DATASET });
    expect(plan.status).toBe(200);
    const started = await request(server)
      .post(`${API}/migrations`)
      .send({ entityRef: DATASET, planHash: plan.body.plan.hash });
    expect(started.status).toBe(202);
    const id = started.body.migration.id;
    await waitForStatus(server, id, 'awaiting_cleanup');
    // Cut over, not finalized: the old name still reads (a view), so it stays.
    expect(await preProcess()).toBe(entity);
    await request(server).post(`${API}/migrations/${id}/finalize`).expect(200);
    await waitForStatus(server, id, 'completed');

    // The plugin answered the catalog's service credentials with the new home.
    expect((await preProcess()).metadata.annotations).toEqual({
      'dataset-migrations.io/location': 'warehouse:page_views',
      'dataset-migrations.io/moved-by': id,
    });
  });
});
