import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  CampaignsClient,
  DatasetMigrationsClient,
  RolloutsClient,
} from '@internal/backstage-plugin-dataset-migrations-common';
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

/**
 * The plugin for apps still on the legacy frontend system.
 *
 * @public
 */
export const legacyDatasetMigrationsPlugin = createPlugin({
  id: 'dataset-migrations',
  apis: [
    createApiFactory({
      api: datasetMigrationsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new DatasetMigrationsClient(deps),
    }),
    createApiFactory({
      api: campaignsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new CampaignsClient(deps),
    }),
    createApiFactory({
      api: rolloutsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new RolloutsClient(deps),
    }),
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

/**
 * Legacy page: the history dashboard, each migration at `migrations/:id`, the
 * campaigns (each at `campaigns/:id`), the rollouts (each at `rollouts/:id`) and the
 * fleet, as tabs. Mount it at a route of your choice, e.g. `/dataset-migrations`.
 *
 * @public
 */
export const DatasetMigrationsPage = legacyDatasetMigrationsPlugin.provide(
  createRoutableExtension({
    name: 'DatasetMigrationsPage',
    component: () =>
      import('./components/Root').then(m => m.LegacyDatasetMigrationsPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * Legacy entity content: the "Migrations" tab of a dataset's entity page (ownership,
 * dependencies, Migrate with plan review, live progress, history).
 *
 * @public
 */
export const EntityDatasetMigrationsContent =
  legacyDatasetMigrationsPlugin.provide(
    createComponentExtension({
      name: 'EntityDatasetMigrationsContent',
      component: {
        lazy: () =>
          import('./components/DatasetMigrationsContent').then(
            m => m.DatasetMigrationsContent,
          ),
      },
    }),
  );

/**
 * Legacy card: the dataset's owner group and its members' contacts.
 *
 * @public
 */
export const EntityDatasetOwnershipCard = legacyDatasetMigrationsPlugin.provide(
  createComponentExtension({
    name: 'EntityDatasetOwnershipCard',
    component: {
      lazy: () =>
        import('./components/EntityDataset/OwnershipCard').then(
          m => m.OwnershipCard,
        ),
    },
  }),
);

/**
 * Legacy card: the dataset's upstream datasets and downstream consumers.
 *
 * @public
 */
export const EntityDatasetDependenciesCard =
  legacyDatasetMigrationsPlugin.provide(
    createComponentExtension({
      name: 'EntityDatasetDependenciesCard',
      component: {
        lazy: () =>
          import('./components/EntityDataset/DependenciesCard').then(
            m => () => <m.DependenciesCard />,
          ),
      },
    }),
  );
