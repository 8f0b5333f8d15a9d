import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { readDatasetMigrationsConfig } from '../config/readDatasetMigrationsConfig';
import { readDiscoveryConfig } from '../config/readDiscoveryConfig';
import { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { DatasetDiscoveryProvider } from './DatasetDiscoveryProvider';

/**
 * Catalog module that emits a dataset entity per table of the connections listed under
 * `datasetMigrations.discovery`, one entity provider per entry, each on its schedule.
 *
 * @public
 */
export const catalogModuleDatasetDiscovery = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'dataset-migrations-discovery',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogProcessingExtensionPoint,
      },
      async init({ config, logger, scheduler, lifecycle, catalog }) {
        // The same checks as the plugin's, so a bad config fails start-up here too.
        const settings = readDatasetMigrationsConfig(config);
        const entries = readDiscoveryConfig(config, settings.connections);
        if (entries.length === 0) return;
        // The catalog plugin's own pools: a module shares no instances with the
        // dataset-migrations plugin. Reads go through the planning pools, each
        // statement bounded by limits.statementTimeout.
        const connections = new ConnectionRegistry(settings.connections, {
          planningStatementTimeoutMs: settings.limits.statementTimeoutMs,
        });
        lifecycle.addShutdownHook(() => connections.destroy());
        catalog.addEntityProvider(
          entries.map(
            entry =>
              new DatasetDiscoveryProvider({
                settings: entry,
                connections,
                logger,
                taskRunner: scheduler.createScheduledTaskRunner(entry.schedule),
              }),
          ),
        );
        logger.info(
          `Dataset discovery on ${entries.map(e => e.connection).join(', ')}`,
        );
      },
    });
  },
});
