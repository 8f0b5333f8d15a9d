export { MigrationsRoutes } from './MigrationsRoutes';
export { LegacyDatasetMigrationsPage } from './LegacyDatasetMigrationsPage';
export { FleetPage } from '../Fleet/FleetPage';
export { CampaignsRoutes } from '../Campaigns/CampaignsRoutes';
export { RolloutsRoutes } from '../Rollouts/RolloutsRoutes';
