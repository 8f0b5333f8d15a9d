import { NotFoundError } from '@backstage/errors';
import {
  DatasetTable,
  formatDatasetLocation,
  parseDatasetLocation,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { safeErrorMessage } from '../errors/safeErrorMessage';

/** How long the card waits for a connection's catalog before it calls the answer unknown. */
export const TABLE_EXISTENCE_TIMEOUT_MS = 5_000;

class TimedOut extends Error {}

/**
 * Whether the table `location` names exists now on its connection. It asks the
 * dialect's introspection, the very lookup a plan starts with, so the answer agrees
 * with the plan wherever the engines differ on the case of names (SQLite folds it,
 * MySQL/MariaDB as lower_case_table_names says, PostgreSQL keeps quoted names as
 * written). `shapeOnly`: catalog reads only, no row count. Only the lookup's
 * NotFoundError means missing: a connection that is down, slow or not configured is
 * unknown.
 */
export async function tableExistence(
  connections: ConnectionRegistry,
  annotated: string,
  timeoutMs: number = TABLE_EXISTENCE_TIMEOUT_MS,
): Promise<DatasetTable> {
  const location = parseDatasetLocation(annotated);
  const formatted = formatDatasetLocation(location);
  const { connection, schema, table } = location;
  if (!connections.has(connection)) {
    return {
      location: formatted,
      existence: 'unknown',
      reason: `connection ${connection} is not configured here (datasetMigrations.connections)`,
    };
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const lookup = (async () => {
      const knex = connections.forPlanning(connection);
      await connections
        .dialect(connection)
        .introspect(knex, connection, { schema, table }, { shapeOnly: true });
    })();
    // A lookup that outlives the timeout still ends on its own (the pool's acquire
    // timeout): its late failure is nobody's to hear.
    lookup.catch(() => undefined);
    await Promise.race([
      lookup,
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new TimedOut()), timeoutMs);
      }),
    ]);
    return { location: formatted, existence: 'exists' };
  } catch (e) {
    if (e instanceof TimedOut) {
      return {
        location: formatted,
        existence: 'unknown',
        reason: `connection ${connection} did not answer within ${
          timeoutMs / 1000
        } s`,
      };
    }
    if (e instanceof NotFoundError) {
      return { location: formatted, existence: 'missing' };
    }
    return {
      location: formatted,
      existence: 'unknown',
      reason: `connection ${connection} could not be asked: ${safeErrorMessage(
        e,
      )}`,
    };
  } finally {
    clearTimeout(timer);
  }
}
