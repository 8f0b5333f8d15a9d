export { datasetMigrationsPlugin as default } from './plugin';
export { catalogModuleDatasetDiscovery } from './discovery/catalogModuleDatasetDiscovery';
export { catalogModuleDatasetNewHome } from './newHome/catalogModuleDatasetNewHome';
export {
  SqlAgent,
  SQL_AGENT_CANDIDATE,
  type SqlAgentOptions,
} from './plan/SqlAgent';
export { consumerFileReader } from './consumers/consumerFileReader';
