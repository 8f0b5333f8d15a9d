export { datasetMigrationsPlugin as default } from './plugin';
export { catalogModuleDatasetDiscovery } from './discovery/catalogModuleDatasetDiscovery';
