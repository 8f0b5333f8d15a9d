import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';

import { rootRouteRef } from './routes';

export const page = PageBlueprint.make({
  params: {
    path: '/dataset-migrations',
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/TodoPage').then(m => (
        <m.TodoPage />
      )),
  },
});

export const datasetMigrationsPlugin = createFrontendPlugin({
  pluginId: 'dataset-migrations',
  extensions: [page],
  routes: {
    root: rootRouteRef,
  }
});
