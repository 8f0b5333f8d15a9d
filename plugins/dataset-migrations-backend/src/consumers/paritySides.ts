import type {
  Engine,
  MigrationStatus,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import type { ConnectionRegistry } from '../connections/ConnectionRegistry';
import type { MigrationRecord } from '../store/MigrationStore';

/** Where a parity check runs a statement: the original on the old side, the rewrite on the new. */
export type ParitySides = { oldSide: Knex; newSide: Knex; engine: Engine };

/** While these hold, the old name still answers and the new table holds every row. */
const COMPARABLE: MigrationStatus[] = ['running', 'awaiting_cleanup'];

/**
 * The two sides a rewrite is proven on, or why there are none now. The old side is the
 * old name on the source connection: before cutover the source table itself, after it
 * the compatibility view (or the frozen source). The view rather than the backup:
 * writes through the view since cutover are in the new table and not in the backup,
 * so comparing with the backup would report them as differences the consumer never
 * sees.
 */
export function paritySides(
  record: MigrationRecord,
  connections: ConnectionRegistry,
): ParitySides | { reason: string } {
  const verified =
    record.steps.find(s => s.name === 'verify')?.status === 'succeeded';
  if (!COMPARABLE.includes(record.status) || !verified) {
    return {
      reason: `not proven yet: parity runs once the copy is verified and while the old name still answers (the migration is ${record.status})`,
    };
  }
  return {
    oldSide: connections.get(record.connection),
    newSide: connections.get(record.plan.target.connection),
    engine: record.plan.source.engine,
  };
}
