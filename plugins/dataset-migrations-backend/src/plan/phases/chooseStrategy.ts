import type {
  CompatibilityMode,
  CopyStrategy,
  Finding,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import {
  foreignServerName,
  POSTGRES_FDW_CONFIG_KEY,
} from '../../dialects/postgresFdw';
import { findReadOnlyCompatibilityView } from '../lint/findReadOnlyCompatibilityView';
import { findUnprotectedTruncate } from '../lint/findUnprotectedTruncate';
import type { Placement } from './placeTarget';

/** How the rows move and how readers of the old name keep working. */
export type ChosenStrategy = {
  copyStrategy: CopyStrategy;
  compatibility: CompatibilityMode;
  /** `foreign-view`: the postgres_fdw server through which the source reads the target. */
  foreignServer?: string;
  /** `connection:schema.table` of the new table, for findings and the frozen source's error. */
  movedToLabel: string;
  /** `frozen-source`: why no CompatibilityView can stand at the old name. */
  noCompatibilityView?: Finding;
  /** MySQL/MariaDB without a copy key: the freeze cannot refuse a TRUNCATE. */
  unprotectedTruncate?: Finding;
  /** SQLite: the view at the old name takes no writes. */
  readOnlyCompatibilityView: Finding[];
};

function noCompatibilityView(
  source: TableSchema,
  placement: Pick<
    Placement,
    'sourceDialect' | 'targetDialect' | 'targetConnection'
  >,
  movedToLabel: string,
): Finding {
  const { sourceDialect: sd, targetDialect: td, targetConnection } = placement;
  let reason = 'another database';
  if (sd.engine !== td.engine) reason = 'another engine';
  else if (sd.engine === 'sqlite')
    reason = 'SQLite cannot put a view over another file';
  const remedy =
    sd.engine === 'postgres' && td.engine === 'postgres'
      ? ` To keep a view at the old name instead, an admin can enable postgres_fdw for the pair: add { source: ${source.connection}, target: ${targetConnection.name} } under ${POSTGRES_FDW_CONFIG_KEY}.`
      : '';
  return {
    code: 'no-compatibility-view',
    severity: 'warning',
    message: `No view can stand at the old name: ${source.engine} connection "${source.connection}" cannot read ${movedToLabel} (${reason}). After cutover the old table stays readable but read-only until cleanup; its consumers must repoint to ${movedToLabel} before finalize.${remedy}`,
  };
}

/**
 * Chooses the CompatibilityView and the copy. A view needs the source to read the new
 * table: the same database (`view`), or PostgreSQL through postgres_fdw where an admin
 * enabled the pair (`foreign-view`); otherwise the source is frozen at cutover
 * (`frozen-source`). The copy runs inside the database when it can (`push-down`).
 */
export function chooseStrategy(
  source: TableSchema,
  placement: Pick<
    Placement,
    | 'sourceDialect'
    | 'targetDialect'
    | 'sourceConnection'
    | 'targetConnection'
    | 'target'
    | 'isSameDatabase'
  >,
  copyKey: string[],
): ChosenStrategy {
  const {
    sourceDialect: sd,
    targetDialect: td,
    targetConnection,
    target,
    isSameDatabase,
  } = placement;
  const isPostgresPair = sd.engine === 'postgres' && td.engine === 'postgres';
  const canReadViaFdw =
    isPostgresPair &&
    (placement.sourceConnection.foreignViewTargets ?? []).includes(
      targetConnection.name,
    );
  let compatibility: CompatibilityMode = 'frozen-source';
  if (isSameDatabase) compatibility = 'view';
  else if (canReadViaFdw) compatibility = 'foreign-view';
  const movedToLabel = `${targetConnection.name}:${
    target.schema ? `${target.schema}.` : ''
  }${target.table}`;

  // Between PostgreSQL databases the rows never need to pass through JavaScript:
  // COPY TO streams straight into COPY FROM, one key range per transaction.
  let copyStrategy: CopyStrategy = 'streamed';
  if (isSameDatabase) copyStrategy = 'push-down';
  else if (isPostgresPair && copyKey.length > 0) copyStrategy = 'copy-pipe';

  return {
    copyStrategy,
    compatibility,
    foreignServer:
      compatibility === 'foreign-view'
        ? foreignServerName(targetConnection.name)
        : undefined,
    movedToLabel,
    noCompatibilityView:
      compatibility === 'frozen-source'
        ? noCompatibilityView(source, placement, movedToLabel)
        : undefined,
    unprotectedTruncate: findUnprotectedTruncate(source, copyKey),
    readOnlyCompatibilityView: findReadOnlyCompatibilityView(
      source,
      compatibility,
      movedToLabel,
    ),
  };
}
