import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import path from 'node:path';
import { seedLakehouse, seedWarehouse } from './seedDemoDatasets';

/**
 * Demo only: creates the SQLite files behind the demo connections `warehouse` and
 * `lakehouse` on first start (and again whenever one is missing). Registered as a
 * module of the dataset-migrations plugin so the files exist before it serves.
 */
export default createBackendModule({
  pluginId: 'dataset-migrations',
  moduleId: 'demo-datasets',
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.rootConfig, logger: coreServices.logger },
      async init({ config, logger }) {
        const seeders = { warehouse: seedWarehouse, lakehouse: seedLakehouse };
        for (const [name, seed] of Object.entries(seeders)) {
          const key = `datasetMigrations.connections.${name}`;
          if (config.getOptionalString(`${key}.client`) !== 'better-sqlite3') {
            continue;
          }
          const file = path.resolve(
            config.getString(`${key}.connection.filename`),
          );
          const started = Date.now();
          const result = seed(file);
          if (result.created) {
            logger.info(
              `Created demo database ${name} at ${file} (${
                result.rows
              } rows in ${Date.now() - started} ms)`,
            );
          }
        }
      },
    });
  },
});
