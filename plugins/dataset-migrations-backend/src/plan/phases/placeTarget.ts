import { InputError } from '@backstage/errors';
import type { TableSchema } from '@internal/backstage-plugin-dataset-migrations-common';
import type { AgentConnection } from '@internal/backstage-plugin-dataset-migrations-node';
import { dialectForEngine } from '../../dialects';
import type { Dialect, TableName } from '../../dialects/Dialect';
import type { TableDecision } from '../rules/resolveRules';

/** Where the table goes, and the connections and dialects on either side of the move. */
export type Placement = {
  sourceConnection: AgentConnection;
  targetConnection: AgentConnection;
  sourceDialect: Dialect;
  targetDialect: Dialect;
  source: TableName;
  target: TableName;
  /** Source and target are one database: push-down copy and a view at the old name. */
  isSameDatabase: boolean;
};

function connectionNamed(
  connections: AgentConnection[],
  name: string,
): AgentConnection {
  const connection = connections.find(c => c.name === name);
  if (!connection) {
    throw new InputError(
      `Connection "${name}" is not configured; add it under datasetMigrations.connections`,
    );
  }
  return connection;
}

/**
 * Places the table where the placement rule says: its connection, its schema (a rule
 * that names none keeps the source's schema on the same connection and takes the
 * target connection's default schema elsewhere) and its table name. Refuses a
 * placement that cannot exist: a schema on SQLite, or the table's own name.
 */
export function placeTarget(
  source: TableSchema,
  placement: TableDecision['target'],
  connections: AgentConnection[],
): Placement {
  const sourceConnection = connectionNamed(connections, source.connection);
  const targetConnection = connectionNamed(connections, placement.connection);
  const sourceDialect = dialectForEngine(source.engine);
  const targetDialect = dialectForEngine(targetConnection.engine);

  let targetSchema: string | undefined;
  if (targetDialect.engine === 'sqlite') {
    if (placement.schema && placement.connection !== source.connection) {
      throw new InputError(
        `Rule "${placement.rule}" places ${source.table} in schema "${placement.schema}" of SQLite connection "${targetConnection.name}"; SQLite has no schemas, remove target.schema`,
      );
    }
  } else if (placement.connection === source.connection) {
    targetSchema = placement.schema ?? source.schema;
  } else {
    targetSchema = placement.schema ?? targetConnection.defaultSchema;
  }
  const target: TableName = { schema: targetSchema, table: placement.table };

  const isSameDatabase =
    sourceConnection.databaseKey === targetConnection.databaseKey;
  if (
    isSameDatabase &&
    (target.schema ?? '') === (source.schema ?? '') &&
    target.table === source.table
  ) {
    throw new InputError(
      `Rule "${placement.rule}" places ${source.table} at its own name; give the target another table name (e.g. target.table: '{table:snake}') or another schema or connection`,
    );
  }

  return {
    sourceConnection,
    targetConnection,
    sourceDialect,
    targetDialect,
    source: { schema: source.schema, table: source.table },
    target,
    isSameDatabase,
  };
}
