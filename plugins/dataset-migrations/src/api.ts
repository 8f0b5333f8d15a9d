import { createApiRef } from '@backstage/core-plugin-api';
import type {
  CampaignsApi,
  DatasetMigrationsApi,
  RolloutsApi,
} from '@internal/backstage-plugin-dataset-migrations-common';

/**
 * Reference to the Dataset Migrations API client. Created with the legacy helper so
 * the same ref serves both the new and the legacy frontend system.
 *
 * @public
 */
export const datasetMigrationsApiRef = createApiRef<DatasetMigrationsApi>({
  id: 'plugin.dataset-migrations.api',
});

/**
 * Reference to the campaigns part of the API: fleet-wide migrations, their burndown
 * and the approvals they ask of dataset owners.
 *
 * @public
 */
export const campaignsApiRef = createApiRef<CampaignsApi>({
  id: 'plugin.dataset-migrations.campaigns',
});

/**
 * Reference to the rollouts part of the API: the agents with their versions, and the
 * gradual releases of a candidate version behind success gates.
 *
 * @public
 */
export const rolloutsApiRef = createApiRef<RolloutsApi>({
  id: 'plugin.dataset-migrations.rollouts',
});
