import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { createRouter } from './api/createRouter';
import { readDatasetMigrationsConfig } from './config/readDatasetMigrationsConfig';
import { ConnectionRegistry } from './connections/ConnectionRegistry';
import { migrateStore } from './store/migrateStore';

/**
 * The Dataset Migrations backend plugin: wiring only; the work happens in services.
 *
 * @public
 */
export const datasetMigrationsPlugin = createBackendPlugin({
  pluginId: 'dataset-migrations',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
      },
      async init({
        config,
        database,
        httpAuth,
        httpRouter,
        lifecycle,
        logger,
      }) {
        // Fails start-up with the offending key named, before anything runs.
        const settings = readDatasetMigrationsConfig(config);
        await migrateStore(database);

        const connections = new ConnectionRegistry(settings.connections);
        lifecycle.addShutdownHook(() => connections.destroy());
        logger.info(
          `Dataset migrations ready: ${settings.connections.size} connection(s), ${settings.rules.length} rule(s)`,
        );

        httpRouter.use(await createRouter({ httpAuth, connections }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
