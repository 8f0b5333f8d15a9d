export { DatasetMigrationsContent } from './DatasetMigrationsContent';
