import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import {
  DATASET_COLUMNS_ANNOTATION,
  DATASET_LOCATION_ANNOTATION,
  DATASET_RESOURCE_TYPE,
  Engine,
  formatDatasetLocation,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { DiscoveryConfig } from '../config/DatasetMigrationsConfig';
import type { ListedTable } from '../dialects/Dialect';
import { chooseOwner } from './chooseOwner';
import { qualifiedName } from './tablePattern';

// A description is read on a card; the annotation keeps every column.
const COLUMNS_IN_DESCRIPTION = 20;

/** The `managed-by-location` of everything discovery emits for a connection. */
export const discoveryLocation = (connection: string) =>
  `dataset-migrations-discovery:${connection}`;

function describe(connection: string, table: ListedTable): string {
  const shown = table.columns
    .slice(0, COLUMNS_IN_DESCRIPTION)
    .map(c => `${c.name} (${c.declaredType || 'untyped'})`);
  const more = table.columns.length - shown.length;
  return `Table ${qualifiedName(
    table,
  )} on connection ${connection}, found by discovery. Columns: ${
    shown.join(', ') || 'none'
  }${more > 0 ? `, and ${more} more` : ''}.`;
}

/**
 * The dataset entity of a discovered table, shaped as a hand-written one is (a
 * `Resource` of `spec.type: dataset` with the location annotation), so everything
 * that reads datasets reads it alike.
 */
export function datasetEntity(options: {
  settings: DiscoveryConfig;
  engine: Engine;
  table: ListedTable;
  name: string;
}): Entity {
  const { settings, engine, table, name } = options;
  const location = discoveryLocation(settings.connection);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      title: qualifiedName(table),
      description: describe(settings.connection, table),
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        [DATASET_LOCATION_ANNOTATION]: formatDatasetLocation({
          connection: settings.connection,
          schema: table.schema,
          table: table.table,
        }),
        [DATASET_COLUMNS_ANNOTATION]: JSON.stringify(
          table.columns.map(c => ({ name: c.name, type: c.declaredType })),
        ),
      },
      tags: ['discovered', engine],
    },
    spec: {
      type: DATASET_RESOURCE_TYPE,
      owner: chooseOwner(settings, table),
      ...(settings.system ? { system: settings.system } : {}),
    },
  };
}
