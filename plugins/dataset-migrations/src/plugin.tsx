import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  DatasetMigrationsClient,
  isDatasetEntity,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { datasetMigrationsApiRef } from './api';
import { rootRouteRef } from './routes';

export const datasetMigrationsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: datasetMigrationsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new DatasetMigrationsClient(deps),
    }),
});

export const datasetMigrationsPage = PageBlueprint.make({
  params: {
    path: '/dataset-migrations',
    routeRef: rootRouteRef,
    title: 'Dataset migrations',
    loader: () =>
      import('./components/DashboardPage').then(m => (
        <m.DatasetMigrationsRoot />
      )),
  },
});

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

/**
 * The Dataset Migrations frontend plugin for the new frontend system.
 *
 * @public
 */
export const datasetMigrationsPlugin = createFrontendPlugin({
  pluginId: 'dataset-migrations',
  extensions: [
    datasetMigrationsApi,
    datasetMigrationsPage,
    datasetMigrationsEntityContent,
  ],
  routes: {
    root: rootRouteRef,
  },
});
