import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  catalogProcessingExtensionPoint,
  type EntityProvider,
  type EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_DISCOVERY_SCHEDULE } from '../config/readDiscoveryConfig';
import { catalogModuleDatasetDiscovery } from './catalogModuleDatasetDiscovery';
import { removeTempDir } from '../__testUtils__/tempDir';

type ConfigData = NonNullable<
  Parameters<typeof mockServices.rootConfig.factory>[0]
>['data'];

jest.setTimeout(30_000);

describe('catalogModuleDatasetDiscovery', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-discovery-'));
  });
  afterEach(() => removeTempDir(dir));

  const start = async (datasetMigrations: Record<string, unknown>) => {
    const providers: EntityProvider[] = [];
    // Records what each provider hands its task runner, to run it by hand.
    const tasks = new Map<
      string,
      {
        schedule: SchedulerServiceTaskScheduleDefinition;
        run: () => Promise<unknown>;
      }
    >();
    const scheduler = mockServices.scheduler.mock({
      createScheduledTaskRunner: schedule => ({
        run: async task => {
          tasks.set(task.id, {
            schedule,
            run: async () => task.fn(new AbortController().signal),
          });
        },
      }),
    });
    const backend = await startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          {
            addEntityProvider: (
              ...added: Array<EntityProvider | EntityProvider[]>
            ) => providers.push(...added.flat()),
          },
        ],
      ],
      features: [
        catalogModuleDatasetDiscovery,
        scheduler.factory,
        mockServices.rootConfig.factory({
          data: { datasetMigrations } as ConfigData,
        }),
      ],
    });
    return { backend, providers, tasks };
  };

  it('adds a provider per entry, whose task the scheduler runs once connected', async () => {
    const filename = path.join(dir, 'warehouse.sqlite');
    const db = new Database(filename);
    db.exec('CREATE TABLE orders (id integer PRIMARY KEY)');
    db.close();
    const { backend, providers, tasks } = await start({
      connections: {
        warehouse: { client: 'better-sqlite3', connection: { filename } },
        lakehouse: {
          client: 'better-sqlite3',
          // Unreachable: its directory does not exist.
          connection: {
            filename: path.join(dir, 'missing', 'lakehouse.sqlite'),
          },
        },
      },
      discovery: [
        { connection: 'warehouse', defaultOwner: 'data-platform' },
        {
          connection: 'lakehouse',
          defaultOwner: 'data-platform',
          schedule: { frequency: { hours: 1 }, timeout: { minutes: 1 } },
        },
      ],
    });
    try {
      expect(providers.map(p => p.getProviderName())).toEqual([
        'dataset-migrations-discovery:warehouse',
        'dataset-migrations-discovery:lakehouse',
      ]);
      const mutations: EntityProviderMutation[] = [];
      await providers[0].connect({
        applyMutation: async m => {
          mutations.push(m);
        },
        refresh: async () => {},
      });
      expect(mutations).toEqual([]);
      const task = tasks.get('dataset-migrations-discovery:warehouse:refresh');
      expect(task?.schedule).toEqual(DEFAULT_DISCOVERY_SCHEDULE);
      await task!.run();
      expect(mutations).toEqual([
        {
          type: 'full',
          entities: [
            expect.objectContaining({
              entity: expect.objectContaining({
                metadata: expect.objectContaining({
                  name: 'warehouse.orders',
                }),
              }),
              locationKey: 'dataset-migrations-discovery:warehouse',
            }),
          ],
        },
      ]);

      // A failed run hands the catalog nothing, so it keeps the last run's datasets.
      const unreached: EntityProviderMutation[] = [];
      await providers[1].connect({
        applyMutation: async m => {
          unreached.push(m);
        },
        refresh: async () => {},
      });
      const failing = tasks.get(
        'dataset-migrations-discovery:lakehouse:refresh',
      );
      expect(failing?.schedule).toMatchObject({ frequency: { hours: 1 } });
      await expect(failing!.run()).resolves.toBeUndefined();
      expect(unreached).toEqual([]);
    } finally {
      await backend.stop();
    }
  });

  it('adds nothing without a discovery section', async () => {
    const { backend, providers } = await start({});
    await backend.stop();
    expect(providers).toEqual([]);
  });

  it('fails start-up on a bad entry, naming the key', async () => {
    await expect(
      start({ discovery: [{ connection: 'nowhere', defaultOwner: 'a' }] }),
    ).rejects.toThrow(
      /datasetMigrations\.discovery\[0\]\.connection names "nowhere"/,
    );
  });
});
