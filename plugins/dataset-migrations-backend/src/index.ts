export { datasetMigrationsPlugin as default } from './plugin';
