import type { Engine } from '@internal/backstage-plugin-dataset-migrations-common';
import type { LogicalType } from '../dialects/LogicalType';

/** One type of every logical kind, with the lengths and precisions tables usually have. */
export const ALL_KINDS: LogicalType[] = [
  { kind: 'smallint' },
  { kind: 'integer' },
  { kind: 'bigint' },
  { kind: 'decimal', precision: 12, scale: 2 },
  { kind: 'double' },
  { kind: 'boolean' },
  { kind: 'char', length: 2 },
  { kind: 'varchar', length: 40 },
  { kind: 'text' },
  { kind: 'date' },
  { kind: 'timestamp' },
  { kind: 'timestamptz' },
  { kind: 'time' },
  { kind: 'json' },
  { kind: 'uuid' },
  { kind: 'binary' },
];

/** Types at the edges of some engine's range. */
export const EDGE_TYPES: LogicalType[] = [
  { kind: 'decimal' },
  { kind: 'decimal', precision: 20, scale: 2 },
  { kind: 'decimal', precision: 70, scale: 2 },
  { kind: 'char', length: 300 },
  { kind: 'varchar' },
  { kind: 'varchar', length: 20000 },
];

/**
 * What an engine gives back for `type` after storing it (renderType, then toLogical of
 * the declared type), and whether its `lossOf` must name a loss. A type that comes back
 * different without a loss may only be wider (SQLite's INTEGER is 64-bit).
 */
export function expectedRoundTrip(
  engine: Engine,
  type: LogicalType,
): { type: LogicalType; isLossy: boolean } {
  // A varchar without a length is text on every engine.
  const same =
    type.kind === 'varchar' && !type.length ? { kind: 'text' as const } : type;
  const as = (back: LogicalType, isLossy = true) => ({ type: back, isLossy });
  switch (engine) {
    case 'sqlite':
      switch (type.kind) {
        case 'integer':
          return as({ kind: 'bigint' }, false);
        case 'timestamptz':
          return as({ kind: 'timestamp' });
        case 'json':
        case 'uuid':
          return as({ kind: 'text' });
        case 'decimal':
          return as(same, type.precision === undefined || type.precision > 15);
        case 'boolean':
        case 'date':
        case 'timestamp':
        case 'time':
          // Stored exactly, but as numbers and text: readers see SQLite's storage classes.
          return as(same);
        default:
          return as(same, false);
      }
    case 'mysql':
      switch (type.kind) {
        case 'timestamptz':
          return as({ kind: 'timestamp' });
        case 'json':
          return as({ kind: 'text' });
        case 'uuid':
          return as({ kind: 'char', length: 36 });
        case 'decimal':
          if (type.precision === undefined)
            return as({ kind: 'decimal', precision: 65, scale: 30 });
          if (type.precision > 65)
            return as({ kind: 'decimal', precision: 65, scale: type.scale });
          return as(same, false);
        case 'char':
          return (type.length ?? 1) > 255
            ? as({ kind: 'varchar', length: type.length })
            : as(same, false);
        case 'varchar':
          return (type.length ?? 0) > 16383
            ? as({ kind: 'text' })
            : as(same, false);
        default:
          return as(same, false);
      }
    default:
      return as(same, false);
  }
}
