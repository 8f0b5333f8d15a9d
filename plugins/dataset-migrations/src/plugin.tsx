import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import { Content } from '@backstage/core-components';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  CampaignsClient,
  DatasetMigrationsClient,
  isDatasetEntity,
  RolloutsClient,
} from '@internal/backstage-plugin-dataset-migrations-common';
import SwapHorizIcon from '@material-ui/icons/SwapHoriz';
import {
  campaignsApiRef,
  datasetMigrationsApiRef,
  rolloutsApiRef,
} from './api';
import {
  campaignRouteRef,
  catalogIndexRouteRef,
  campaignsRouteRef,
  migrationRouteRef,
  rolloutRouteRef,
  rolloutsRouteRef,
  rootRouteRef,
} from './routes';

export const datasetMigrationsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: datasetMigrationsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new DatasetMigrationsClient(deps),
    }),
});

export const campaignsApi = ApiBlueprint.make({
  name: 'campaigns',
  params: defineParams =>
    defineParams({
      api: campaignsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new CampaignsClient(deps),
    }),
});

export const rolloutsApi = ApiBlueprint.make({
  name: 'rollouts',
  params: defineParams =>
    defineParams({
      api: rolloutsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new RolloutsClient(deps),
    }),
});

/** `/dataset-migrations`: the header and tabs; the tabs are the sub pages below. */
export const datasetMigrationsPage = PageBlueprint.make({
  params: {
    path: '/dataset-migrations',
    routeRef: rootRouteRef,
    title: 'Dataset migrations',
    icon: <SwapHorizIcon fontSize="inherit" />,
  },
});

/** A tab of the plugin's page at `name`, showing `page` of the lazily loaded Root. */
function subPage(
  name: string,
  title: string,
  page: (root: typeof import('./components/Root')) => JSX.Element,
) {
  return SubPageBlueprint.make({
    attachTo: { id: 'page:dataset-migrations', input: 'pages' },
    name,
    params: {
      path: name,
      title,
      loader: () =>
        // The app's page frame has no main landmark of its own (the catalog's pages
        // do, through core Page): each tab's content is the page's main content.
        import('./components/Root').then(m => (
          <main>
            <Content>{page(m)}</Content>
          </main>
        )),
    },
  });
}

/** The history dashboard, and each migration's live view at `migrations/:id`. */
export const datasetMigrationsHistoryPage = subPage(
  'migrations',
  'Migrations',
  m => <m.MigrationsRoutes />,
);

/** Fleet-wide migrations: the list, and each campaign at `campaigns/:id`. */
export const datasetMigrationsCampaignsPage = subPage(
  'campaigns',
  'Campaigns',
  m => <m.CampaignsRoutes />,
);

/** Agent versions released gradually: the list, and each rollout at `rollouts/:id`. */
export const datasetMigrationsRolloutsPage = subPage(
  'rollouts',
  'Rollouts',
  m => <m.RolloutsRoutes />,
);

/** The workers of the fleet, for administrators. */
export const datasetMigrationsFleetPage = subPage('fleet', 'Fleet', m => (
  <m.FleetPage />
));

export const datasetMigrationsEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/migrations',
    title: 'Migrations',
    filter: isDatasetEntity,
    loader: () =>
      import('./components/DatasetMigrationsContent').then(m => (
        <m.DatasetMigrationsContent />
      )),
  },
});

// The Migrations tab already shows these two; as overview cards they are opt-in
// (app.extensions: [entity-card:dataset-migrations/ownership]).
export const datasetOwnershipCard = EntityCardBlueprint.make({
  name: 'ownership',
  disabled: true,
  params: {
    filter: isDatasetEntity,
    loader: () =>
      import('./components/EntityDataset/OwnershipCard').then(m => (
        <m.OwnershipCard />
      )),
  },
});

export const datasetDependenciesCard = EntityCardBlueprint.make({
  name: 'dependencies',
  disabled: true,
  params: {
    filter: isDatasetEntity,
    loader: () =>
      import('./components/EntityDataset/DependenciesCard').then(m => (
        <m.DependenciesCard />
      )),
  },
});

/**
 * The Dataset Migrations frontend plugin for the new frontend system.
 *
 * @public
 */
export const datasetMigrationsPlugin = createFrontendPlugin({
  pluginId: 'dataset-migrations',
  title: 'Dataset migrations',
  icon: <SwapHorizIcon fontSize="inherit" />,
  extensions: [
    datasetMigrationsApi,
    campaignsApi,
    rolloutsApi,
    datasetMigrationsPage,
    datasetMigrationsHistoryPage,
    datasetMigrationsCampaignsPage,
    datasetMigrationsRolloutsPage,
    datasetMigrationsFleetPage,
    datasetMigrationsEntityContent,
    datasetOwnershipCard,
    datasetDependenciesCard,
  ],
  routes: {
    root: rootRouteRef,
    migration: migrationRouteRef,
    campaigns: campaignsRouteRef,
    campaign: campaignRouteRef,
    rollouts: rolloutsRouteRef,
    rollout: rolloutRouteRef,
  },
  externalRoutes: {
    catalogIndex: catalogIndexRouteRef,
  },
});
