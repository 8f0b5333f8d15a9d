import type {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { DiscoveryConfig } from '../config/DatasetMigrationsConfig';
import type { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { safeErrorMessage } from '../errors/safeErrorMessage';
import { datasetEntity, discoveryLocation } from './datasetEntity';
import { datasetEntityNames } from './datasetEntityNames';
import { discoverTables } from './discoverTables';

/**
 * Discovery of one `datasetMigrations.discovery` entry: on each scheduled run it lists
 * the connection's tables and hands the catalog the full set of their dataset
 * entities, so a table that is gone leaves the catalog with that run.
 */
export class DatasetDiscoveryProvider implements EntityProvider {
  private catalog?: EntityProviderConnection;

  constructor(
    private readonly options: {
      settings: DiscoveryConfig;
      connections: ConnectionRegistry;
      logger: LoggerService;
      /** Runs `run` on the entry's schedule once connected; absent: call `run` yourself. */
      taskRunner?: SchedulerServiceTaskRunner;
    },
  ) {}

  getProviderName(): string {
    return discoveryLocation(this.options.settings.connection);
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.catalog = connection;
    await this.options.taskRunner?.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        try {
          await this.run();
        } catch (e) {
          // The catalog keeps the last run's datasets: an unreachable database must
          // not empty it.
          this.options.logger.error(
            `Dataset discovery on connection ${
              this.options.settings.connection
            } failed; the catalog keeps the datasets of its last run: ${safeErrorMessage(
              e,
            )}`,
          );
        }
      },
    });
  }

  /** Discovers the tables now and replaces this provider's datasets; returns their count. */
  async run(): Promise<number> {
    const { settings, connections, logger } = this.options;
    if (!this.catalog) {
      throw new Error(
        `${this.getProviderName()} is not connected to the catalog yet; add it through the catalog's processing extension point`,
      );
    }
    const dialect = connections.dialect(settings.connection);
    const { tables, unnamable } = await discoverTables(
      connections.forPlanning(settings.connection),
      dialect,
      settings,
    );
    if (unnamable.length > 0) {
      logger.warn(
        `Dataset discovery on connection ${settings.connection} passed over ${
          unnamable.length
        } table(s) a dataset location cannot name: ${unnamable.join('; ')}`,
      );
    }
    const names = datasetEntityNames(settings.connection, tables);
    const locationKey = this.getProviderName();
    await this.catalog.applyMutation({
      type: 'full',
      entities: tables.map((table, i) => ({
        entity: datasetEntity({
          settings,
          engine: dialect.engine,
          table,
          name: names[i],
        }),
        locationKey,
      })),
    });
    logger.info(
      `Dataset discovery on connection ${settings.connection}: ${tables.length} dataset(s)`,
    );
    return tables.length;
  }
}
