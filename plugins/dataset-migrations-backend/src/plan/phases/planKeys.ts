import type {
  ColumnMapping,
  CompatibilityMode,
  Finding,
  IndexSchema,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { findIncomingForeignKeys } from '../lint/findIncomingForeignKeys';
import type { ModelColumn } from '../sql/ArtifactModel';
import { settleIdentities } from '../sql/columnFidelity';
import { planConstraints, PlannedConstraints } from '../sql/constraintsDdl';
import { indexName } from '../../dialects/names';
import type { MappedColumns } from './mapColumns';
import type { Placement } from './placeTarget';

/** The new table's keys and constraints, and the key the copy orders by. */
export type PlannedKeys = {
  /** Target column names of the primary key; empty when a key column is dropped. */
  primaryKey: string[];
  /** Source column names the copy orders by; empty: copied in one pass. */
  copyKey: string[];
  /** Target indexes, except those carried as UNIQUE constraints. */
  indexes: IndexSchema[];
  constraints: PlannedConstraints;
  /**
   * The column mapping and model with the identities the target engine can hold
   * (copies: the mapped columns are left as they were).
   */
  columns: ColumnMapping[];
  model: ModelColumn[];
  findings: Finding[];
};

/** Target names of these source columns, or undefined when one of them is dropped. */
const targetNames = (
  mapped: Pick<MappedColumns, 'targetNameOf'>,
  names: string[],
): string[] | undefined =>
  names.every(n => mapped.targetNameOf.has(n))
    ? names.map(n => mapped.targetNameOf.get(n)!)
    : undefined;

/**
 * The copy orders by the primary key, else by a unique index over NOT NULL columns
 * (NULLs would make the keyset ambiguous), else copies in one pass.
 */
function chooseCopyKey(source: TableSchema): {
  copyKey: string[];
  uniqueKey?: IndexSchema;
} {
  const uniqueKey = source.indexes.find(
    i =>
      i.isUnique &&
      i.columns.every(n =>
        source.columns.find(c => c.name === n && !c.isNullable),
      ),
  );
  return {
    copyKey:
      source.primaryKey.length > 0
        ? source.primaryKey
        : uniqueKey?.columns ?? [],
    uniqueKey,
  };
}

function missingPrimaryKey(
  source: TableSchema,
  uniqueKey: IndexSchema | undefined,
): Finding {
  return {
    code: 'missing-primary-key',
    severity: 'warning',
    message: uniqueKey
      ? `${
          source.table
        } has no primary key; the copy orders by its unique index ${
          uniqueKey.name
        } (${uniqueKey.columns.join(
          ', ',
        )}) and the target gets no primary key. Consider adding one.`
      : `${source.table} has no primary key or unique NOT NULL index: it is copied in one pass (a retry empties the target and starts over) and the target gets no primary key. Writes made during the move could not be caught up without a key, so from provision until cutover (without a compatibility view: until cleanup) the source refuses writes and writers get an error. Consider adding one before it grows.`,
  };
}

/**
 * Plans the new table's primary key, indexes and own constraints (`planConstraints`),
 * the copy key, and which identities the target keeps: whether an engine can number a
 * column depends on the keys it leads, so identities are settled here.
 */
export function planKeys(
  source: TableSchema,
  placement: Pick<
    Placement,
    'sourceDialect' | 'targetDialect' | 'target' | 'isSameDatabase'
  >,
  mapped: Pick<MappedColumns, 'columns' | 'model' | 'targetNameOf'>,
): PlannedKeys {
  const findings: Finding[] = [];
  const primaryKey = targetNames(mapped, source.primaryKey) ?? [];
  const { copyKey, uniqueKey } = chooseCopyKey(source);
  if (source.primaryKey.length === 0)
    findings.push(missingPrimaryKey(source, uniqueKey));

  const constraints = planConstraints({
    source,
    sourceDialect: placement.sourceDialect,
    targetDialect: placement.targetDialect,
    target: placement.target,
    isSameDatabase: placement.isSameDatabase,
    columns: mapped.columns,
  });
  findings.push(...constraints.findings);

  const indexes: IndexSchema[] = [];
  for (const index of source.indexes) {
    if (constraints.asConstraints.has(index.name)) continue;
    const columns = targetNames(mapped, index.columns);
    if (columns)
      indexes.push({
        name: indexName(placement.target.table, columns, index.isUnique),
        columns,
        isUnique: index.isUnique,
      });
  }

  const columns = mapped.columns.map(c => ({ ...c }));
  const model = mapped.model.map(m => ({ ...m }));
  findings.push(
    ...settleIdentities(
      columns,
      model,
      placement.targetDialect,
      primaryKey,
      indexes,
    ),
  );

  return {
    primaryKey,
    copyKey,
    indexes,
    constraints,
    columns,
    model,
    findings,
  };
}

/**
 * What happens to other tables' foreign keys that reference this one: re-pointed at
 * cutover when a view stands at the old name, else blocking (`findIncomingForeignKeys`).
 */
export function planIncomingForeignKeys(
  source: TableSchema,
  placement: Pick<Placement, 'sourceDialect' | 'target' | 'targetConnection'>,
  mapped: Pick<MappedColumns, 'targetNameOf'>,
  keys: Pick<PlannedKeys, 'columns' | 'primaryKey'>,
  compatibility: CompatibilityMode,
): ReturnType<typeof findIncomingForeignKeys> {
  return findIncomingForeignKeys({
    source,
    sourceDialect: placement.sourceDialect,
    target: placement.target,
    targetConnection: placement.targetConnection.name,
    compatibility,
    columns: keys.columns,
    primaryKey: keys.primaryKey,
    // Every unique key the new table gets, as an index or as a UNIQUE constraint.
    indexes: source.indexes.flatMap(index => {
      const columns = targetNames(mapped, index.columns);
      return columns && index.isUnique
        ? [{ name: index.name, columns, isUnique: true }]
        : [];
    }),
  });
}
