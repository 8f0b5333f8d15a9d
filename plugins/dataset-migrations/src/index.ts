/**
 * Dataset Migrations frontend plugin: the new frontend system plugin is the default
 * export; the legacy exports serve apps on the legacy system.
 *
 * @packageDocumentation
 */
export { datasetMigrationsPlugin as default } from './plugin';
export {
  datasetMigrationsApiRef,
  campaignsApiRef,
  rolloutsApiRef,
} from './api';
export {
  rootRouteRef,
  migrationRouteRef,
  campaignsRouteRef,
  campaignRouteRef,
  rolloutsRouteRef,
  rolloutRouteRef,
  catalogIndexRouteRef,
} from './routes';
export {
  legacyDatasetMigrationsPlugin,
  DatasetMigrationsPage,
  EntityDatasetMigrationsContent,
  EntityDatasetOwnershipCard,
  EntityDatasetDependenciesCard,
} from './legacy';
export { isDatasetEntity } from '@internal/backstage-plugin-dataset-migrations-common';
