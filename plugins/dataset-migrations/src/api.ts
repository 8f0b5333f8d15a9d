import { createApiRef } from '@backstage/core-plugin-api';
import type { DatasetMigrationsApi } from '@internal/backstage-plugin-dataset-migrations-common';

/**
 * Reference to the Dataset Migrations API client. Created with the legacy helper so
 * the same ref serves both the new and the legacy frontend system.
 *
 * @public
 */
export const datasetMigrationsApiRef = createApiRef<DatasetMigrationsApi>({
  id: 'plugin.dataset-migrations.api',
});
