import {
  DatasetLocation,
  DatasetNewHome,
  parseDatasetLocation,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { CompletedMove, MigrationStore } from '../store/MigrationStore';

function parsed(value: string): DatasetLocation | undefined {
  try {
    return parseDatasetLocation(value);
  } catch {
    return undefined;
  }
}

/**
 * Whether two locations name one table: the same connection, and table and schema alike
 * up to case (engines that fold case see one table under both spellings). A location
 * without a schema names the connection's current one, which the plan spelled out
 * (`warehouse:page_views` is the plan's `warehouse:public.page_views`).
 */
export function isSameTable(a: string, b: string): boolean {
  const x = parsed(a);
  const y = parsed(b);
  if (!x || !y || x.connection !== y.connection) return false;
  const fold = (name?: string) => name?.toLowerCase();
  if (fold(x.table) !== fold(y.table)) return false;
  return !x.schema || !y.schema || fold(x.schema) === fold(y.schema);
}

/**
 * The new home of the table at `location`, following the dataset's completed moves in
 * the order they completed (A to B, then B to C: C), or undefined when none moved it
 * or the moves brought it back to `location`.
 */
export function followMoves(
  location: string,
  moves: CompletedMove[],
): DatasetNewHome | undefined {
  let current = location;
  let last: CompletedMove | undefined;
  for (const move of moves) {
    if (isSameTable(move.source, current)) {
      current = move.target;
      last = move;
    }
  }
  if (!last || isSameTable(current, location)) return undefined;
  return {
    movedFrom: location,
    location: current,
    migrationId: last.migrationId,
    movedAt: last.completedAt,
  };
}

/** The new home of the dataset's table at `location`, from the store's completed moves. */
export async function findNewHome(
  store: Pick<MigrationStore, 'listCompletedMoves'>,
  entityRef: string,
  location: string,
): Promise<DatasetNewHome | undefined> {
  return followMoves(location, await store.listCompletedMoves(entityRef));
}
