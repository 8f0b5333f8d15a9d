import type {
  FleetOverview,
  FleetWorkerHealth,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import { migration } from '../../__testUtils__/fixtures';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { FleetPage } from './FleetPage';
import { FLEET_POLL_MS } from './useFleet';

const worker = (
  id: string,
  overrides: Partial<FleetWorkerHealth> = {},
): FleetWorkerHealth => ({
  id,
  instanceId: id.split('/')[0],
  startedAt: '2026-11-23T09:00:00.000Z',
  heartbeatAt: '2026-11-23T10:00:00.000Z',
  currentStep: null,
  agentVersions: ['sql@1.3.0', 'sql@1.4.0'],
  state: 'idle',
  heartbeatAgeMs: 800,
  currentEntityRef: null,
  rowsPerSecond: null,
  restarts: 0,
  lastRestartAt: null,
  lastError: null,
  ...overrides,
});

function fleet(restarts: number): FleetOverview {
  return {
    queueLength: 7,
    lostAfterMs: 10_000,
    caps: [
      { scope: 'source-connection:warehouse', cap: 4, running: 2 },
      { scope: 'target-connection:lake', cap: 4, running: 4 },
      { scope: 'owner:group:default/sales', cap: 2, running: 1 },
    ],
    instances: [
      {
        id: 'host-a:101:aaaa',
        host: 'host-a',
        pid: 101,
        status: 'alive',
        startedAt: '2026-11-23T09:00:00.000Z',
        heartbeatAt: '2026-11-23T10:00:00.000Z',
        heartbeatAgeMs: 400,
        lostAt: null,
        workerSlots: 2,
        agentVersions: ['sql@1.3.0', 'sql@1.4.0'],
        leasesHeld: 1,
        workers: [
          worker('host-a:101:aaaa/0', {
            state: 'running',
            currentStep: { migrationId: migration().id, step: 'copy' },
            currentEntityRef: 'resource:default/orders',
            rowsPerSecond: 1234.6,
            restarts,
            lastRestartAt: '2026-11-23T09:30:00.000Z',
            lastError: 'Connection terminated unexpectedly',
          }),
          worker('host-a:101:aaaa/1', { state: 'restarting' }),
        ],
      },
      {
        id: 'host-b:202:bbbb',
        host: 'host-b',
        pid: 202,
        status: 'lost',
        startedAt: '2026-11-23T08:00:00.000Z',
        heartbeatAt: '2026-11-23T09:58:00.000Z',
        heartbeatAgeMs: 125_000,
        lostAt: '2026-11-23T09:58:10.000Z',
        workerSlots: 1,
        agentVersions: ['sql@1.3.0'],
        leasesHeld: 0,
        workers: [worker('host-b:202:bbbb/0', { state: 'lost' })],
      },
    ],
  };
}

const rowOf = (text: string) => screen.getByText(text).closest('tr')!;

// Administrators only: the denied case is in FleetPage.denied.test.tsx, because
// usePermission caches the decision for the whole test file.
describe('FleetPage for an administrator', () => {
  afterEach(() => jest.useRealTimers());

  it('shows instances alive and lost, their workers, the load per connection and the queue', async () => {
    renderInPluginApp(<FleetPage />, {
      api: {
        getFleet: async () => fleet(2),
        listConnections: async () => ({
          items: [{ name: 'warehouse', client: 'better-sqlite3' }],
        }),
      },
    });
    expect(await screen.findByLabelText('queue length')).toHaveTextContent(
      '7 migrations queued',
    );
    expect(
      screen.getByText(/1 instance alive, 1 lost; 1 of 3 workers busy/),
    ).toBeInTheDocument();

    const alive = rowOf('host-a:101:aaaa');
    expect(alive).toHaveTextContent('alive');
    expect(alive).toHaveTextContent('0.4 s ago');
    const lost = rowOf('host-b:202:bbbb');
    expect(lost).toHaveTextContent('lost since');
    expect(lost).toHaveTextContent('its leases were reclaimed');
    expect(lost).toHaveTextContent('2 min ago');

    const busy = rowOf('host-a:101:aaaa/0');
    expect(busy).toHaveTextContent('running');
    expect(within(busy).getByRole('link')).toHaveAttribute(
      'href',
      `/dataset-migrations/migrations/${migration().id}`,
    );
    expect(within(busy).getByRole('link')).toHaveTextContent(
      'resource:default/orders',
    );
    expect(busy).toHaveTextContent('copy');
    expect(busy).toHaveTextContent('1,235 rows/s');
    expect(busy).toHaveTextContent(
      /2last at .*: Connection terminated unexpectedly/,
    );
    expect(busy).toHaveTextContent('sql@1.3.0, sql@1.4.0');
    expect(rowOf('host-a:101:aaaa/1')).toHaveTextContent('restarting');
    expect(rowOf('host-b:202:bbbb/0')).toHaveTextContent('lost');

    const loads = screen.getByRole('list', { name: 'connection loads' });
    expect(
      within(loads)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      'Source connection warehouse running: 2 / 4',
      'Target connection lake running: 4 / 4',
    ]);
    expect(
      await screen.findByRole('list', { name: 'connections' }),
    ).toHaveTextContent('warehouse (better-sqlite3)');
  });

  it('asks again every few seconds and shows what changed', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const getFleet = jest
      .fn()
      .mockResolvedValueOnce(fleet(2))
      .mockResolvedValue(fleet(3));
    renderInPluginApp(<FleetPage />, {
      api: { getFleet, listConnections: async () => ({ items: [] }) },
    });
    expect(await screen.findByText('host-a:101:aaaa/0')).toBeInTheDocument();
    expect(rowOf('host-a:101:aaaa/0')).toHaveTextContent(/2last at/);
    expect(getFleet).toHaveBeenCalledTimes(1);

    await act(async () => {
      jest.advanceTimersByTime(FLEET_POLL_MS);
    });
    await waitFor(() =>
      expect(rowOf('host-a:101:aaaa/0')).toHaveTextContent(/3last at/),
    );
    expect(getFleet).toHaveBeenCalledTimes(2);
  });

  it('says what to check when no instance or worker reports a heartbeat', async () => {
    renderInPluginApp(<FleetPage />, {
      api: {
        getFleet: async () => ({
          instances: [],
          caps: [],
          queueLength: 0,
          lostAfterMs: 10_000,
        }),
        listConnections: async () => ({ items: [] }),
      },
    });
    expect(
      await screen.findByText(/backend plugin is not running anywhere/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/datasetMigrations.executor.workerSlots above 0/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/No migration runs against any connection now/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        /datasetMigrations.connections in app-config.yaml/,
      ),
    ).toBeInTheDocument();
  });

  it('keeps the last fleet on screen when a refresh fails', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const getFleet = jest
      .fn()
      .mockResolvedValueOnce(fleet(2))
      .mockRejectedValue(new Error('backend restarting'));
    renderInPluginApp(<FleetPage />, {
      api: { getFleet, listConnections: async () => ({ items: [] }) },
    });
    expect(await screen.findByText('host-a:101:aaaa/0')).toBeInTheDocument();
    await act(async () => {
      jest.advanceTimersByTime(FLEET_POLL_MS);
    });
    expect(
      await screen.findByText(/Could not load the fleet/),
    ).toBeInTheDocument();
    expect(screen.getByText('host-a:101:aaaa/0')).toBeInTheDocument();
  });
});
