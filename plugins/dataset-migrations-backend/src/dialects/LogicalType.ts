/**
 * The portable type model every dialect maps its types into and out of. Cross-engine
 * mapping is source type -> LogicalType -> target type; what a target cannot hold
 * exactly is reported by `Dialect.lossOf`.
 */
export type LogicalKind =
  | 'smallint'
  | 'integer'
  | 'bigint'
  | 'decimal'
  | 'double'
  | 'boolean'
  | 'char'
  | 'varchar'
  | 'text'
  | 'date'
  | 'timestamp'
  | 'timestamptz'
  | 'time'
  | 'json'
  | 'uuid'
  | 'binary';

export type LogicalType = {
  kind: LogicalKind;
  /** char/varchar length. */
  length?: number;
  /** decimal precision and scale. */
  precision?: number;
  scale?: number;
};

const INTEGER_RANK: Partial<Record<LogicalKind, number>> = {
  boolean: 0,
  smallint: 1,
  integer: 2,
  bigint: 3,
};

/**
 * Whether values of `from` can fail to fit, or lose information, in `to`: the lint's
 * "narrowing cast". Widening (integer -> bigint, varchar(10) -> varchar(20) or text,
 * anything -> text) is not narrowing.
 */
export function isNarrowing(from: LogicalType, to: LogicalType): boolean {
  if (to.kind === 'text') return false;
  if (from.kind === to.kind) {
    if (to.kind === 'varchar' || to.kind === 'char') {
      return (to.length ?? Infinity) < (from.length ?? Infinity);
    }
    if (to.kind === 'decimal') {
      const fromInt = (from.precision ?? 38) - (from.scale ?? 0);
      const toInt = (to.precision ?? 38) - (to.scale ?? 0);
      return toInt < fromInt || (to.scale ?? 0) < (from.scale ?? 0);
    }
    return false;
  }
  const fromRank = INTEGER_RANK[from.kind];
  const toRank = INTEGER_RANK[to.kind];
  if (fromRank !== undefined && toRank !== undefined) return toRank < fromRank;
  if (
    fromRank !== undefined &&
    (to.kind === 'decimal' || to.kind === 'double')
  ) {
    return false;
  }
  if (from.kind === 'timestamp' && to.kind === 'timestamptz') return false;
  if (
    from.kind === 'date' &&
    (to.kind === 'timestamp' || to.kind === 'timestamptz')
  ) {
    return false;
  }
  if ((from.kind === 'char' || from.kind === 'uuid') && to.kind === 'varchar') {
    return (to.length ?? Infinity) < (from.length ?? 36);
  }
  if (from.kind === 'varchar' && to.kind === 'char') return true;
  // Every other change of kind (text -> integer, double -> decimal, ...) can fail or round.
  return true;
}

/** Renders a logical type for people: `decimal(12,2)`, `varchar(255)`. */
export function describeLogicalType(type: LogicalType): string {
  if (type.kind === 'decimal' && type.precision !== undefined) {
    return `decimal(${type.precision},${type.scale ?? 0})`;
  }
  if ((type.kind === 'varchar' || type.kind === 'char') && type.length) {
    return `${type.kind}(${type.length})`;
  }
  return type.kind;
}
