import type {
  ConnectionClient,
  Engine,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Dialect } from './Dialect';
import { mysqlDialect } from './mysql';
import { postgresDialect } from './postgres';
import { sqliteDialect } from './sqlite';

const BY_ENGINE: Record<Engine, Dialect> = {
  sqlite: sqliteDialect,
  postgres: postgresDialect,
  mysql: mysqlDialect,
};

const BY_CLIENT: Record<ConnectionClient, Dialect> = {
  'better-sqlite3': sqliteDialect,
  pg: postgresDialect,
  mysql2: mysqlDialect,
};

export const dialectForEngine = (engine: Engine): Dialect => BY_ENGINE[engine];
export const dialectFor = (client: ConnectionClient): Dialect =>
  BY_CLIENT[client];
export type { Dialect, TableName } from './Dialect';
