import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import {
  campaignsApiRef,
  datasetMigrationsApiRef,
  rolloutsApiRef,
} from './api';
import { LegacyDatasetMigrationsPage } from './components/Root';
import {
  campaign,
  campaignDetail,
  campaignsApiWith,
} from './__testUtils__/campaignFixtures';
import { apiWith, migration } from './__testUtils__/fixtures';
import {
  agents,
  rollout,
  rolloutDetail,
  rolloutsApiWith,
} from './__testUtils__/rolloutFixtures';
import { rootRouteRef } from './routes';

const api = apiWith({
  listConnections: async () => ({ items: [] }),
  getMigrationStats: async () => ({
    total: 1,
    byStatus: { completed: 1 },
    successRate: 1,
    rollbacks: { requestedByPerson: 0, automatic: 0 },
    perDay: [{ day: '2026-11-23', count: 1 }],
  }),
  listMigrations: async () => ({
    items: [migration({ status: 'completed' })],
    nextCursor: null,
  }),
  getMigration: async () => ({ migration: migration() }),
  streamEvents: () => new Promise(() => {}),
});

const renderAt = (path: string) =>
  renderInTestApp(
    <TestApiProvider
      apis={[
        [datasetMigrationsApiRef, api],
        [
          campaignsApiRef,
          campaignsApiWith({
            listCampaigns: async () => ({ items: [campaign()] }),
            getCampaign: async () => ({ campaign: campaignDetail() }),
          }),
        ],
        [
          rolloutsApiRef,
          rolloutsApiWith({
            listAgents: async () => ({ items: agents() }),
            listRollouts: async () => ({ items: [rollout()] }),
            getRollout: async () => ({ rollout: rolloutDetail() }),
          }),
        ],
        [permissionApiRef, mockApis.permission()],
        // The dashboard's owner picker lists the catalog's groups.
        [catalogApiRef, catalogApiMock()],
      ]}
    >
      <Routes>
        <Route
          path="/dataset-migrations/*"
          element={<LegacyDatasetMigrationsPage />}
        />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [path],
      mountedRoutes: {
        '/dataset-migrations': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );

describe('DatasetMigrationsPage (legacy frontend system)', () => {
  it('shows the dashboard under the Migrations tab, with links to each run', async () => {
    await renderAt('/dataset-migrations');
    expect(await screen.findByText('Success rate')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Migrations' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Campaigns' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Rollouts' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Fleet' })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Open' })).toHaveAttribute(
      'href',
      `/dataset-migrations/migrations/${migration().id}`,
    );
  });

  it('serves each migration at the same URL as the new frontend system', async () => {
    await renderAt(`/dataset-migrations/migrations/${migration().id}`);
    expect(await screen.findByText(/^Migration of/)).toHaveTextContent(
      /^Migration of customer-accounts, Nov 23, 2026/,
    );
  });

  it('lists the campaigns under the Campaigns tab, each linked to its page', async () => {
    await renderAt('/dataset-migrations/campaigns');
    expect(
      await screen.findByRole('link', { name: campaign().name }),
    ).toHaveAttribute('href', `/dataset-migrations/campaigns/${campaign().id}`);
  });

  it('serves each campaign at the same URL as the new frontend system', async () => {
    await renderAt(`/dataset-migrations/campaigns/${campaign().id}`);
    expect(await screen.findByLabelText('campaign status')).toHaveTextContent(
      'active',
    );
  });

  it('lists the rollouts under the Rollouts tab, each linked to its page', async () => {
    await renderAt('/dataset-migrations/rollouts');
    expect(await screen.findByRole('link', { name: 'sql' })).toHaveAttribute(
      'href',
      `/dataset-migrations/rollouts/${rollout().id}`,
    );
  });

  it('serves each rollout at the same URL as the new frontend system', async () => {
    await renderAt(`/dataset-migrations/rollouts/${rollout().id}`);
    expect(await screen.findByLabelText('rollout status')).toHaveTextContent(
      'active',
    );
  });
});
