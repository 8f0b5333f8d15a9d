import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { DatasetMigrationsClient } from '@internal/backstage-plugin-dataset-migrations-common';
import { DatasetNewHomeProcessor } from './DatasetNewHomeProcessor';

/**
 * Catalog module that points dataset entities at their table's new home once a
 * migration that moved it has completed (`DatasetNewHomeProcessor`). It asks the
 * dataset-migrations plugin over its API with the catalog's own service credentials:
 * a module shares no instances or database with the plugin.
 *
 * @public
 */
export const catalogModuleDatasetNewHome = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'dataset-migrations-new-home',
  register(reg) {
    reg.registerInit({
      deps: {
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        catalog: catalogProcessingExtensionPoint,
      },
      async init({ auth, discovery, logger, catalog }) {
        const client = new DatasetMigrationsClient({
          discoveryApi: discovery,
          fetchApi: {
            fetch: async (input, init) => {
              const { token } = await auth.getPluginRequestToken({
                onBehalfOf: await auth.getOwnServiceCredentials(),
                targetPluginId: 'dataset-migrations',
              });
              const headers = new Headers(init?.headers);
              headers.set('Authorization', `Bearer ${token}`);
              return fetch(input, { ...init, headers });
            },
          },
        });
        catalog.addProcessor(
          new DatasetNewHomeProcessor({
            logger,
            lookup: async (entityRef, location) =>
              (await client.getDatasetNewHome(entityRef, location)).newHome,
          }),
        );
      },
    });
  },
});
