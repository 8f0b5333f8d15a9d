import type { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogProcessor } from '@backstage/plugin-catalog-node';
import {
  DATASET_LOCATION_ANNOTATION,
  DATASET_MOVED_BY_ANNOTATION,
  DatasetNewHome,
  isDatasetEntity,
} from '@internal/backstage-plugin-dataset-migrations-common';

/** Where completed migrations of the dataset moved its table from `location`, if they did. */
export type NewHomeLookup = (
  entityRef: string,
  location: string,
) => Promise<DatasetNewHome | null>;

/**
 * Points a dataset entity whose location annotation names a table that completed
 * migrations moved at the table's new home, and names the migration in
 * `dataset-migrations.io/moved-by`, so every page and plan reads the new home while the
 * entity's catalog-info.yaml still names the old table (its owners are told to change
 * it on the dataset's page). When the plugin cannot be asked, the entity is left as it
 * came: the next processing asks again.
 */
export class DatasetNewHomeProcessor implements CatalogProcessor {
  constructor(
    private readonly options: {
      lookup: NewHomeLookup;
      logger: LoggerService;
    },
  ) {}

  getProcessorName(): string {
    return 'DatasetNewHomeProcessor';
  }

  async preProcessEntity(entity: Entity): Promise<Entity> {
    const location = entity.metadata.annotations?.[DATASET_LOCATION_ANNOTATION];
    if (!location || !isDatasetEntity(entity)) return entity;
    const entityRef = stringifyEntityRef(entity);
    let newHome: DatasetNewHome | null;
    try {
      newHome = await this.options.lookup(entityRef, location);
    } catch (e) {
      this.options.logger.warn(
        `Cannot ask the dataset-migrations plugin for the new home of ${entityRef}; its location stays ${location}: ${
          (e as Error).message
        }`,
        { entityRef },
      );
      return entity;
    }
    if (!newHome) return entity;
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...entity.metadata.annotations,
          [DATASET_LOCATION_ANNOTATION]: newHome.location,
          [DATASET_MOVED_BY_ANNOTATION]: newHome.migrationId,
        },
      },
    };
  }
}
