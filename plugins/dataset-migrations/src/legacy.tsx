import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { DatasetMigrationsClient } from '@internal/backstage-plugin-dataset-migrations-common';
import { datasetMigrationsApiRef } from './api';

const legacyRootRouteRef = createRouteRef({ id: 'dataset-migrations' });

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
  ],
  routes: { root: legacyRootRouteRef },
});

/** Legacy page: mount at a route of your choice. @public */
export const DatasetMigrationsPage = legacyDatasetMigrationsPlugin.provide(
  createRoutableExtension({
    name: 'DatasetMigrationsPage',
    component: () =>
      import('./components/DashboardPage').then(m => m.DatasetMigrationsRoot),
    mountPoint: legacyRootRouteRef,
  }),
);

/** Legacy entity content: add to the dataset entity page's tabs. @public */
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
