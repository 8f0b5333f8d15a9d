import type {
  ColumnSchema,
  Engine,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { AgentConnection } from '@internal/backstage-plugin-dataset-migrations-node';

/**
 * Connections as `describeConnection` reports them, for planning without a database:
 * `pg` and `pg_reporting` are one PostgreSQL database, `pg_other` another that `pg`
 * reads through postgres_fdw, `pg_far` one it cannot read.
 */
export const AGENT_CONNECTIONS: AgentConnection[] = [
  { name: 'lite', engine: 'sqlite', databaseKey: 'sqlite:/a.sqlite' },
  { name: 'lite_b', engine: 'sqlite', databaseKey: 'sqlite:/b.sqlite' },
  {
    name: 'pg',
    engine: 'postgres',
    databaseKey: 'pg:h:5432/app',
    defaultSchema: 'public',
    foreignViewTargets: ['pg_other'],
  },
  {
    name: 'pg_reporting',
    engine: 'postgres',
    databaseKey: 'pg:h:5432/app',
    defaultSchema: 'reporting',
  },
  {
    name: 'pg_other',
    engine: 'postgres',
    databaseKey: 'pg:h:5432/other',
    defaultSchema: 'public',
  },
  {
    name: 'pg_far',
    engine: 'postgres',
    databaseKey: 'pg:far:5432/app',
    defaultSchema: 'public',
  },
  {
    name: 'maria',
    engine: 'mysql',
    databaseKey: 'mysql:h:3306',
    defaultSchema: 'shop',
  },
];

export const column = (
  name: string,
  type: string,
  extra: Partial<ColumnSchema> = {},
): ColumnSchema => ({
  name,
  type,
  isNullable: true,
  defaultValue: null,
  ...extra,
});

/** A source table snapshot on one of `AGENT_CONNECTIONS`. */
export function sourceTable(
  connection: string,
  columns: ColumnSchema[],
  extra: Partial<TableSchema> = {},
): TableSchema {
  const found = AGENT_CONNECTIONS.find(c => c.name === connection);
  if (!found) throw new Error(`No test connection ${connection}`);
  const engine: Engine = found.engine;
  return {
    connection,
    engine,
    ...(found.defaultSchema ? { schema: found.defaultSchema } : {}),
    table: 'orderLines',
    columns,
    primaryKey: ['id'],
    indexes: [],
    rowEstimate: 10,
    ...extra,
  };
}
