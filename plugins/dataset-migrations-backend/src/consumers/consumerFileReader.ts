import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { urlReaderFactoriesServiceRef } from '@backstage/backend-defaults/urlReader';
import { FileUrlReader } from './FileUrlReader';

/**
 * Lets the dataset-migrations plugin's URL reader read consumers' SQL from `file:`
 * locations under `datasetMigrations.consumers.fileRoots` (catalog entities registered
 * from files, as in the demo). Add it to the backend next to the plugin; other plugins'
 * URL readers are left as they were.
 *
 * @public
 */
export const consumerFileReader = createServiceFactory({
  service: urlReaderFactoriesServiceRef,
  deps: { pluginMetadata: coreServices.pluginMetadata },
  async factory({ pluginMetadata }) {
    return pluginMetadata.getId() === 'dataset-migrations'
      ? FileUrlReader.factory
      : () => [];
  },
});
