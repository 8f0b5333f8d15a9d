import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import { useTestStore } from '../__testUtils__/testStore';
import { DatasetAccess } from '../permissions/DatasetAccess';
import { FleetService } from './FleetService';

/** What the store reads of a plan: where it moves from and to. */
const planOf = (table: string): Plan =>
  ({
    hash: `hash-${table}`,
    entityRef: `resource:default/${table}`,
    agent: { id: 'sql', version: '1.3.0' },
    source: { connection: 'warehouse', table },
    target: { connection: 'lake', table: `${table}_new` },
  } as unknown as Plan);

const accessThat = (result: AuthorizeResult.ALLOW | AuthorizeResult.DENY) =>
  new DatasetAccess(
    mockServices.permissions.mock({
      authorize: async requests => requests.map(() => ({ result })) as any,
    }),
  );

describe('FleetService', () => {
  const store = useTestStore();

  it('gives admins the instances with their workers, the cap loads and the queue', async () => {
    const instanceId = 'host-a:101:abcd1234';
    await store().heartbeatInstance({
      id: instanceId,
      host: 'host-a',
      pid: 101,
      workerSlots: 2,
      agentVersions: ['sql@1.3.0', 'sql@1.4.0'],
    });
    for (const slot of [0, 1]) {
      await store().registerWorker({
        id: `${instanceId}/${slot}`,
        instanceId,
        agentVersions: ['sql@1.3.0', 'sql@1.4.0'],
      });
    }
    const running = await store().createMigration({
      entityRef: 'resource:default/orders',
      connection: 'warehouse',
      ownerRef: 'group:default/sales',
      plan: planOf('orders'),
      createdBy: 'user:default/ada',
    });
    await store().createMigration({
      entityRef: 'resource:default/invoices',
      connection: 'warehouse',
      ownerRef: 'group:default/sales',
      plan: planOf('invoices'),
      createdBy: 'user:default/ada',
    });
    expect((await store().claimMigration(`${instanceId}/0`, 60_000))?.id).toBe(
      running.id,
    );
    await store().heartbeatWorker(
      `${instanceId}/0`,
      { migrationId: running.id, step: 'copy' },
      1234.5,
    );
    await store().recordWorkerRestart(`${instanceId}/1`, 'store went away');

    const fleet = new FleetService({
      store: store(),
      access: accessThat(AuthorizeResult.ALLOW),
      workerAliveMs: 60_000,
      lostAfterMs: 10_000,
    });
    const overview = await fleet.overview(mockCredentials.user());

    expect(overview.lostAfterMs).toBe(10_000);
    expect(overview.queueLength).toBe(2);
    expect(overview.caps).toEqual(
      expect.arrayContaining([
        {
          scope: 'source-connection:warehouse',
          cap: expect.any(Number),
          running: 1,
        },
        {
          scope: 'target-connection:lake',
          cap: expect.any(Number),
          running: 1,
        },
        {
          scope: 'owner:group:default/sales',
          cap: expect.any(Number),
          running: 1,
        },
      ]),
    );
    expect(overview.instances).toEqual([
      {
        id: instanceId,
        host: 'host-a',
        pid: 101,
        status: 'alive',
        startedAt: expect.any(String),
        heartbeatAt: expect.any(String),
        heartbeatAgeMs: expect.any(Number),
        lostAt: null,
        workerSlots: 2,
        agentVersions: ['sql@1.3.0', 'sql@1.4.0'],
        leasesHeld: 1,
        workers: [
          expect.objectContaining({
            id: `${instanceId}/0`,
            state: 'running',
            currentStep: { migrationId: running.id, step: 'copy' },
            currentEntityRef: 'resource:default/orders',
            rowsPerSecond: 1234.5,
            restarts: 0,
            lastError: null,
          }),
          expect.objectContaining({
            id: `${instanceId}/1`,
            state: 'restarting',
            currentStep: null,
            currentEntityRef: null,
            rowsPerSecond: null,
            restarts: 1,
            lastRestartAt: expect.any(String),
            lastError: 'store went away',
          }),
        ],
      },
    ]);
    expect(overview.instances[0].heartbeatAgeMs).toBeLessThan(10_000);
  });

  it('refuses everyone else, naming the permission', async () => {
    const fleet = new FleetService({
      store: store(),
      access: accessThat(AuthorizeResult.DENY),
      workerAliveMs: 60_000,
      lostAfterMs: 10_000,
    });
    const refused = fleet.overview(mockCredentials.user());
    await expect(refused).rejects.toThrow(NotAllowedError);
    await expect(refused).rejects.toThrow(/dataset-migrations\.admin/);
  });
});
