import { screen, within } from '@testing-library/react';
import { migration } from '../../__testUtils__/fixtures';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { FleetPage } from './FleetPage';

// Administrators only: the denied case is in FleetPage.denied.test.tsx, because
// usePermission caches the decision for the whole test file.
describe('FleetPage for an administrator', () => {
  it('lists every worker of every instance with its heartbeat, step and agents, and the connections', async () => {
    renderInPluginApp(<FleetPage />, {
      api: {
        listWorkers: async () => ({
          items: [
            {
              id: 'instance-a/worker-1',
              instanceId: 'instance-a',
              startedAt: '2026-11-23T09:00:00.000Z',
              heartbeatAt: '2026-11-23T10:00:00.000Z',
              currentStep: { migrationId: migration().id, step: 'copy' },
              agentVersions: ['sql@1.0.0', 'sql@1.1.0'],
            },
            {
              id: 'instance-b/worker-1',
              instanceId: 'instance-b',
              startedAt: '2026-11-23T09:00:00.000Z',
              heartbeatAt: '2026-11-23T10:00:00.000Z',
              currentStep: null,
              agentVersions: ['sql@1.0.0'],
            },
          ],
        }),
        listConnections: async () => ({
          items: [{ name: 'warehouse', client: 'better-sqlite3' }],
        }),
      },
    });
    expect(
      await screen.findByText('Workers (2 on 2 instances)'),
    ).toBeInTheDocument();
    const busy = screen.getByText('instance-a/worker-1').closest('tr')!;
    expect(busy).toHaveTextContent('sql@1.0.0, sql@1.1.0');
    expect(within(busy).getByRole('link')).toHaveAttribute(
      'href',
      `/dataset-migrations/migrations/${migration().id}`,
    );
    expect(
      screen.getByText('instance-b/worker-1').closest('tr'),
    ).toHaveTextContent('idle');
    expect(
      await screen.findByRole('list', { name: 'connections' }),
    ).toHaveTextContent('warehouse (better-sqlite3)');
  });

  it('says what to check when no worker reports a heartbeat', async () => {
    renderInPluginApp(<FleetPage />, {
      api: {
        listWorkers: async () => ({ items: [] }),
        listConnections: async () => ({ items: [] }),
      },
    });
    expect(
      await screen.findByText(/datasetMigrations.executor.workerSlots above 0/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        /datasetMigrations.connections in app-config.yaml/,
      ),
    ).toBeInTheDocument();
  });
});
