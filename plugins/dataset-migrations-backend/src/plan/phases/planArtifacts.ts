import type {
  PlanArtifacts,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { RepointedForeignKey } from '../sql/repointForeignKeys';
import type { ArtifactModel } from '../sql/ArtifactModel';
import { generateArtifacts } from '../sql/generateArtifacts';
import type { ChosenStrategy } from './chooseStrategy';
import type { MappedColumns } from './mapColumns';
import type { Placement } from './placeTarget';
import type { PlannedKeys } from './planKeys';

/** What the earlier phases decided, as the artifacts need it. */
export type ArtifactInput = {
  source: TableSchema;
  placement: Pick<
    Placement,
    'sourceDialect' | 'targetDialect' | 'source' | 'target' | 'isSameDatabase'
  >;
  mapped: Pick<MappedColumns, 'viewColumns'>;
  keys: Pick<
    PlannedKeys,
    'model' | 'primaryKey' | 'indexes' | 'constraints' | 'copyKey'
  >;
  strategy: Pick<
    ChosenStrategy,
    'copyStrategy' | 'compatibility' | 'foreignServer' | 'movedToLabel'
  >;
  incomingForeignKeys: RepointedForeignKey[];
  /** Build the secondary indexes after the copy instead of with the table. */
  indexesAfterCopy?: boolean;
};

/** Gathers the phases' decisions into the model the SQL generator reads. */
export function artifactModelOf(input: ArtifactInput): ArtifactModel {
  const { source, placement, keys, strategy } = input;
  return {
    sourceDialect: placement.sourceDialect,
    targetDialect: placement.targetDialect,
    source: placement.source,
    target: placement.target,
    columns: keys.model,
    viewColumns: input.mapped.viewColumns,
    primaryKey: keys.primaryKey,
    indexes: keys.indexes,
    indexesAfterCopy: input.indexesAfterCopy,
    constraints: keys.constraints,
    copyKey: keys.copyKey,
    copyKeyTypes: keys.copyKey.map(
      k => source.columns.find(c => c.name === k)?.type ?? '',
    ),
    isSameDatabase: placement.isSameDatabase,
    copyStrategy: strategy.copyStrategy,
    compatibility: strategy.compatibility,
    foreignServer: strategy.foreignServer,
    movedToLabel: strategy.movedToLabel,
    incomingForeignKeys: input.incomingForeignKeys,
  };
}

/** The Plan's SQL: target DDL, copy, catch-up, CompatibilityView, validation, rollback. */
export function planArtifacts(input: ArtifactInput): PlanArtifacts {
  return generateArtifacts(artifactModelOf(input));
}
