import { createBackend } from '@backstage/backend-defaults';
import {
  catalogModuleDatasetDiscovery,
  catalogModuleDatasetNewHome,
  consumerFileReader,
} from '@internal/backstage-plugin-dataset-migrations-backend';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// See https://backstage.io/docs/auth/guest/provider

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// The demo's policy (see ./modules/permissionPolicy)
backend.add(import('./modules/permissionPolicy'));

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// signals: live updates pushed to the browser
backend.add(import('@backstage/plugin-signals-backend'));

// dataset migrations, with the demo databases created on first start
backend.add(import('@internal/backstage-plugin-dataset-migrations-backend'));
backend.add(import('./modules/demoDatasets'));
// reads consumers' SQL next to their catalog files (datasetMigrations.consumers.fileRoots)
backend.add(consumerFileReader);
// a second version of the SQL agent (1.4.0), for rollouts to release
backend.add(import('./modules/sqlAgentCandidate'));
// discovery: a dataset entity per table of the connections under datasetMigrations.discovery
backend.add(catalogModuleDatasetDiscovery);
// a dataset's location follows its table to the new home once a migration completed
backend.add(catalogModuleDatasetNewHome);
backend.start();
