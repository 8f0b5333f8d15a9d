import type {
  CompatibilityMode,
  Engine,
  MigrationStatus,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { ConsumerTableName } from '@internal/backstage-plugin-dataset-migrations-node';
import type { Knex } from 'knex';
import type { ConnectionRegistry } from '../connections/ConnectionRegistry';
import type { MigrationRecord } from '../store/MigrationStore';

/**
 * Where a parity check runs a statement: the original on the old side, the rewrite on
 * the new. `oldName` and `newName` say what stands there, for a write: before cutover
 * the source table (`isCutOver` false), after it the compatibility view or the frozen
 * source (`compatibility`).
 */
export type ParitySides = {
  oldSide: Knex;
  newSide: Knex;
  engine: Engine;
  oldName: ConsumerTableName;
  newName: ConsumerTableName;
  compatibility: CompatibilityMode;
  isCutOver: boolean;
};

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
  const succeeded = (step: string) =>
    record.steps.find(s => s.name === step)?.status === 'succeeded';
  if (!COMPARABLE.includes(record.status) || !succeeded('verify')) {
    return {
      reason: `not proven yet: parity runs once the copy is verified and while the old name still answers (the migration is ${record.status})`,
    };
  }
  const { source, target } = record.plan;
  return {
    oldSide: connections.get(record.connection),
    newSide: connections.get(target.connection),
    engine: source.engine,
    oldName: { schema: source.schema, table: source.table },
    newName: { schema: target.schema, table: target.table },
    compatibility: record.plan.compatibility,
    isCutOver: succeeded('cutover'),
  };
}
