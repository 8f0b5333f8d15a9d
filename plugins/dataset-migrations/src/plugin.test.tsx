import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import {
  campaignsApiRef,
  datasetMigrationsApiRef,
  rolloutsApiRef,
} from './api';
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
import plugin from './index';

const api = apiWith({
  listConnections: async () => ({ items: [] }),
  getMigrationStats: async () => ({
    total: 1,
    byStatus: { running: 1 },
    successRate: null,
    rollbacks: { requestedByPerson: 0, automatic: 0 },
    perDay: [{ day: '2026-11-23', count: 1 }],
  }),
  listMigrations: async () => ({ items: [migration()], nextCursor: null }),
  getMigration: async () => ({ migration: migration() }),
  streamEvents: () => new Promise(() => {}),
});

const campaigns = campaignsApiWith({
  listCampaigns: async () => ({ items: [campaign()] }),
  getCampaign: async () => ({ campaign: campaignDetail() }),
});

const rollouts = rolloutsApiWith({
  listAgents: async () => ({ items: agents() }),
  listRollouts: async () => ({ items: [rollout()] }),
  getRollout: async () => ({ rollout: rolloutDetail() }),
});

const renderAt = (path: string) =>
  renderTestApp({
    features: [plugin],
    initialRouteEntries: [path],
    apis: [
      [datasetMigrationsApiRef, api],
      [campaignsApiRef, campaigns],
      [rolloutsApiRef, rollouts],
      mockApis.permission(),
      // The dashboard's owner picker lists the catalog's groups.
      catalogApiMock(),
    ],
    // The catalog's entity page, which links to datasets point at.
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });

// Each test boots a whole app and lazy-loads the page's modules on first render:
// about 2.5 s alone, far more on a loaded two-core machine (setupTests gives 60 s).
const firstLoad = { timeout: 30_000 };

describe('datasetMigrationsPlugin (new frontend system)', () => {
  it('opens /dataset-migrations on the history dashboard, with Migrations, Campaigns, Rollouts and Fleet tabs', async () => {
    renderAt('/dataset-migrations');
    expect(
      await screen.findByText('Success rate', undefined, firstLoad),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Migrations' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Campaigns' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Rollouts' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Fleet' })).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'customer-accounts' }),
    ).toHaveAttribute('href', '/catalog/default/resource/customer-accounts');
  });

  it('serves each migration live at /dataset-migrations/migrations/:id', async () => {
    renderAt(`/dataset-migrations/migrations/${migration().id}`);
    // Known by its dataset and date, never by its id.
    expect(
      await screen.findByText(/^Migration of/, undefined, firstLoad),
    ).toHaveTextContent(/^Migration of customer-accounts, Nov 23, 2026/);
    expect(screen.queryByText(migration().id)).not.toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: '← All migrations' }),
    ).toHaveAttribute('href', '/dataset-migrations');
  });

  it('lists campaigns at /dataset-migrations/campaigns, each linked to its page at campaigns/:id', async () => {
    renderAt('/dataset-migrations/campaigns');
    const link = await screen.findByRole(
      'link',
      { name: campaign().name },
      firstLoad,
    );
    expect(link).toHaveAttribute(
      'href',
      `/dataset-migrations/campaigns/${campaign().id}`,
    );
    expect(
      screen.getByRole('button', { name: 'New campaign' }),
    ).toBeInTheDocument();
  });

  it('serves each campaign at /dataset-migrations/campaigns/:id', async () => {
    renderAt(`/dataset-migrations/campaigns/${campaign().id}`);
    expect(
      await screen.findByLabelText('campaign status', undefined, firstLoad),
    ).toHaveTextContent('active');
    expect(
      screen.getByRole('link', { name: '← All campaigns' }),
    ).toHaveAttribute('href', '/dataset-migrations/campaigns');
  });

  it('lists rollouts at /dataset-migrations/rollouts, each linked to its page at rollouts/:id', async () => {
    renderAt('/dataset-migrations/rollouts');
    const link = await screen.findByRole('link', { name: 'sql' }, firstLoad);
    expect(link).toHaveAttribute(
      'href',
      `/dataset-migrations/rollouts/${rollout().id}`,
    );
    expect(
      await screen.findByRole('button', { name: 'Start rollout' }),
    ).toBeInTheDocument();
  });

  it('serves each rollout at /dataset-migrations/rollouts/:id', async () => {
    renderAt(`/dataset-migrations/rollouts/${rollout().id}`);
    expect(
      await screen.findByLabelText('rollout status', undefined, firstLoad),
    ).toHaveTextContent('active');
    expect(
      screen.getByRole('link', { name: '← All rollouts' }),
    ).toHaveAttribute('href', '/dataset-migrations/rollouts');
  });
});
