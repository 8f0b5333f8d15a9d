export { DatasetMigrationsRoot } from './DatasetMigrationsRoot';
