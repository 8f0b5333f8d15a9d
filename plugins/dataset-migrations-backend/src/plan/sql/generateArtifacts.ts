import type { PlanArtifacts } from '@internal/backstage-plugin-dataset-migrations-common';
import type { TableName } from '../../dialects/Dialect';
import {
  createForeignTable,
  dropForeignServerIfUnused,
  dropForeignTableIfExists,
  foreignServerPreview,
  foreignTableName,
} from '../../dialects/postgresFdw';
import type { ArtifactModel, ModelColumn } from './ArtifactModel';
import { withTableConstraints } from './constraintsDdl';
import {
  copyInStatement,
  copyOutStatement,
  keyComparisonSql,
  keyHoles,
  keyPlaceholders,
} from './keyRangeSql';
import {
  backupTableName,
  changeLogTableName,
  compatibilityLogTableName,
} from '../../dialects/names';
import { repointForeignKeysArtifacts } from './repointForeignKeys';
import { identitySyncArtifact } from './identitySync';
import { sql, SqlTemplate } from './SqlTemplate';
import { validationQuery } from './validationQuery';

/** Rows per batch of a streamed copy. */
export const COPY_BATCH_SIZE = 5000;

/**
 * Rows per key range of a streamed copy from MySQL/MariaDB into PostgreSQL: each range
 * is one SELECT whose rows stream into one COPY, so memory holds only the streams'
 * buffers however large it is; large, so the ranges' round trips and commits vanish.
 */
export const STREAMED_RANGE_ROWS = 100_000;

/**
 * Whether the streamed copy reads key ranges streamed into COPY (`streamedRanges`)
 * instead of keyset batches held in memory: from MySQL/MariaDB, whose driver streams a
 * result with backpressure, into PostgreSQL, by a key.
 */
export function streamsRangesIntoCopy(
  model: Pick<CopyShape, 'sourceDialect' | 'targetDialect' | 'copyKey'>,
): boolean {
  return (
    model.sourceDialect.engine === 'mysql' &&
    model.targetDialect.engine === 'postgres' &&
    model.copyKey.length > 0
  );
}

/** Rows per read of the streamed copy's batch queries (`copy`, `copyNext`). */
export function streamedReadRows(
  model: Pick<CopyShape, 'sourceDialect' | 'targetDialect' | 'copyKey'>,
): number {
  return streamsRangesIntoCopy(model) ? STREAMED_RANGE_ROWS : COPY_BATCH_SIZE;
}

/**
 * What the copy and catch-up statements are made of. The planner has it in its model;
 * the executor rebuilds it from a stored plan (`copyShapeOf`) to get the statements
 * with their holes, and runs them only if they are the plan's reviewed text.
 */
export type CopyShape = Pick<
  ArtifactModel,
  | 'sourceDialect'
  | 'targetDialect'
  | 'source'
  | 'target'
  | 'copyKey'
  | 'copyStrategy'
> & { columns: Array<Pick<ModelColumn, 'target' | 'sourceExpression'>> };

/**
 * The SELECT list the row writer reads: positional aliases (`c<i>` per target column,
 * whatever the expression), and the key columns riding along as `dm_k<i>` so the next
 * batch can start after them.
 */
function rowsForWriter(
  model: Pick<CopyShape, 'sourceDialect' | 'columns' | 'copyKey'>,
): string {
  const { sourceDialect: d } = model;
  const select = model.columns.map(
    (c, i) => `${c.sourceExpression} AS ${d.quote(`c${i}`)}`,
  );
  model.copyKey.forEach((k, i) =>
    select.push(`${d.quote(k)} AS ${d.quote(`dm_k${i}`)}`),
  );
  return `SELECT ${select.join(', ')}`;
}

/** `INSERT INTO target (…) SELECT …mapping… FROM source`, without a WHERE or ORDER BY. */
function insertThroughMapping(model: CopyShape, target: TableName): string {
  const { targetDialect: t, sourceDialect: s } = model;
  const columns = model.columns.map(c => t.quote(c.target)).join(', ');
  const select = model.columns.map(c => c.sourceExpression).join(', ');
  return `INSERT INTO ${t.qualify(
    target,
  )} (${columns})\nSELECT ${select}\nFROM ${s.qualify(model.source)}`;
}

/**
 * The streamed copy's batch query; `afterKey` adds the keyset condition, whose holes
 * (`:after_<i>`) the executor fills with the last key of the batch before.
 */
export function batchQueryTemplate(
  model: Pick<CopyShape, 'sourceDialect' | 'source' | 'copyKey' | 'columns'>,
  options: { afterKey: boolean; limit: number | null },
): SqlTemplate {
  const { sourceDialect: d } = model;
  const key = model.copyKey.map(k => d.quote(k));
  const parts: Array<string | SqlTemplate> = [
    `${rowsForWriter(model)}\nFROM ${d.qualify(model.source)}`,
  ];
  if (key.length > 0) {
    if (options.afterKey) {
      parts.push(
        sql`\nWHERE ${keyComparisonSql(
          d,
          model.copyKey,
          '>',
          keyHoles('after', key.length),
        )}`,
      );
    }
    parts.push(`\nORDER BY ${key.join(', ')}`);
  }
  if (options.limit !== null) parts.push(`\n${d.limit(options.limit)}`);
  return SqlTemplate.join(parts, '');
}

/** The streamed copy's batch query as the plan shows it. */
export function batchQuery(
  model: ArtifactModel,
  options: { afterKey: boolean; limit: number | null },
): string {
  return batchQueryTemplate(model, options).text();
}

/** The same-database copy: one INSERT ... SELECT the engine runs without moving rows out. */
export function pushDownCopySql(
  model: ArtifactModel,
  target: TableName,
): string {
  const { sourceDialect: s } = model;
  const order = model.copyKey.length
    ? `\nORDER BY ${model.copyKey.map(k => s.quote(k)).join(', ')}`
    : '';
  return `${insertThroughMapping(model, target)}${order}`;
}

/** The CREATE TABLE with its primary key and constraints. */
function createTableDdl(model: ArtifactModel, target: TableName): string {
  return withTableConstraints(
    model.targetDialect.createTable(
      target,
      model.columns.map(c => ({
        name: c.target,
        type: c.targetType,
        isNullable: c.isNullable,
        defaultValue: c.defaultLiteral,
        identity: c.identity,
        collation: c.collation,
      })),
      model.primaryKey,
    ),
    model.constraints?.tableConstraints ?? [],
  );
}

/** One CREATE INDEX per secondary index of the new table. */
function indexDdl(model: ArtifactModel, target: TableName): string[] {
  // Column types let MySQL give text columns the prefix length an index needs.
  const columnTypes = Object.fromEntries(
    model.columns.map(c => [c.target, c.targetType]),
  );
  return model.indexes.map(index =>
    model.targetDialect.createIndex(target, index, columnTypes),
  );
}

/**
 * The table and, unless they are built after the copy, its indexes (`targetDdl`);
 * otherwise the indexes on their own (`postCopyDdl`, absent when there are none).
 */
export function tableArtifacts(
  model: ArtifactModel,
  target: TableName,
): Pick<PlanArtifacts, 'targetDdl' | 'postCopyDdl'> {
  const table = createTableDdl(model, target);
  const indexes = indexDdl(model, target);
  if (!model.indexesAfterCopy) return { targetDdl: [table, ...indexes] };
  return {
    targetDdl: [table],
    ...(indexes.length > 0 ? { postCopyDdl: indexes } : {}),
  };
}

/** The view's SELECT over `target`: the new table, or (foreign-view) the foreign table over it. */
export function viewSelect(model: ArtifactModel, target: TableName): string {
  const { targetDialect: t } = model;
  const columns = model.viewColumns
    .map(c => `${c.expression} AS ${t.quote(c.oldName)}`)
    .join(',\n       ');
  return `SELECT ${columns}\nFROM ${t.qualify(target)}`;
}

/**
 * What both sides of validation know of a column beyond its expression and type: a
 * verbatim column's declared type, and that a NOT NULL target column holds no NULL
 * (the source's value went in, so it had none either).
 */
const validatedFacts = (c: ModelColumn) => ({
  ...(c.isVerbatim ? { declaredType: c.targetType } : {}),
  ...(c.isNullable ? {} : { isNullable: false }),
});

export function sourceValidation(model: ArtifactModel, from: string): string {
  return validationQuery(
    model.sourceDialect,
    from,
    model.columns.map(c => ({
      expression: c.sourceExpression,
      type: c.targetLogical,
      ...validatedFacts(c),
    })),
    {
      isSameEngine: isSameEngine(model),
      key: boundKey(model)?.map(c => ({
        expression: c.sourceExpression,
        type: c.targetLogical,
      })),
    },
  );
}

export function targetValidation(model: ArtifactModel, from: string): string {
  return validationQuery(
    model.targetDialect,
    from,
    model.columns.map(c => ({
      expression: model.targetDialect.quote(c.target),
      type: c.targetLogical,
      ...validatedFacts(c),
    })),
    {
      isSameEngine: isSameEngine(model),
      key: boundKey(model)?.map(c => ({
        expression: model.targetDialect.quote(c.target),
        type: c.targetLogical,
      })),
    },
  );
}

/**
 * The columns validation binds each value to: the copy key's, when each is a target
 * column read as it is (found by its expression); otherwise undefined, and values are
 * bound to their whole row.
 */
function boundKey(model: ArtifactModel): ModelColumn[] | undefined {
  const key = model.copyKey.map(k =>
    model.columns.find(
      c => c.sourceExpression === model.sourceDialect.quote(k),
    ),
  );
  return key.length > 0 && key.every(Boolean)
    ? (key as ModelColumn[])
    : undefined;
}

/** Both sides one engine: validation may use that engine's own faster hashes. */
function isSameEngine(model: ArtifactModel): boolean {
  return model.sourceDialect.engine === model.targetDialect.engine;
}

/** The copy's statements for the plan's strategy. */
function copyArtifacts(
  model: ArtifactModel,
): Pick<PlanArtifacts, 'copy' | 'copyNext' | 'copyInto'> {
  const { sourceDialect: s, targetDialect: t } = model;
  switch (model.copyStrategy) {
    case 'push-down':
      return { copy: pushDownCopySql(model, model.target) };
    case 'copy-pipe':
      return {
        copy: copyOutStatement(
          s,
          model.columns.map(c => c.sourceExpression),
          model.source,
          model.copyKey,
          keyPlaceholders('after', model.copyKey.length),
          keyPlaceholders('up_to', model.copyKey.length),
        ),
        copyInto: copyInStatement(
          t,
          model.target,
          model.columns.map(c => c.target),
        ),
      };
    default: {
      const limit = model.copyKey.length > 0 ? streamedReadRows(model) : null;
      return {
        copy: batchQuery(model, { afterKey: false, limit }),
        copyNext:
          model.copyKey.length > 0
            ? batchQuery(model, { afterKey: true, limit })
            : undefined,
      };
    }
  }
}

/** The hole for the `dm_seq` values of one catch-up batch (`:dm_seqs` in the reviewed SQL). */
export const CATCH_UP_SEQS_HOLE = 'dm_seqs';
/** How the reviewed catch-up SQL shows that hole. */
export const CATCH_UP_SEQS = `:${CATCH_UP_SEQS_HOLE}`;

/** The log on the target of writes the new table took since cutover. */
export const compatibilityLogOf = (target: TableName): TableName => ({
  schema: target.schema,
  table: compatibilityLogTableName(target.table),
});

/** The change log of the source: what capture fills and catch-up drains. */
export const changeLogOf = (source: TableName): TableName => ({
  schema: source.schema,
  table: changeLogTableName(source.table),
});

/** `(k0, k1) IN (SELECT dm_k0, dm_k1 FROM log WHERE dm_seq IN (:dm_seqs))` over `columns`. */
function loggedKeys(
  model: CopyShape,
  dialect: CopyShape['sourceDialect'],
  columns: string[],
): SqlTemplate {
  const { sourceDialect: s } = model;
  const tuple = (names: string[]) =>
    names.length === 1 ? names[0] : `(${names.join(', ')})`;
  const logged = model.copyKey.map((_k, i) => s.quote(`dm_k${i}`));
  return sql`${tuple(
    columns.map(c => dialect.quote(c)),
  )} IN (SELECT ${logged.join(', ')} FROM ${s.qualify(
    changeLogOf(model.source),
  )} WHERE ${s.quote('dm_seq')} IN (${SqlTemplate.hole(CATCH_UP_SEQS_HOLE)}))`;
}

/**
 * What replays one batch of logged changes. Same database: delete the logged keys from
 * the target and insert the source's current rows for them, read through the copy's
 * column mapping. Otherwise the source's current rows for the logged keys, as the
 * streamed copy reads them (`c<i>` per target column, `dm_k<i>` per key column).
 */
export function catchUpTemplates(model: CopyShape): SqlTemplate[] {
  if (model.copyKey.length === 0) return [];
  const { sourceDialect: s, targetDialect: t } = model;
  const targetKey = model.copyKey.map(
    k => model.columns.find(c => c.sourceExpression === s.quote(k))?.target,
  );
  if (model.copyStrategy === 'push-down' && targetKey.every(Boolean)) {
    return [
      sql`DELETE FROM ${t.qualify(model.target)}\nWHERE ${loggedKeys(
        model,
        t,
        targetKey as string[],
      )}`,
      sql`${insertThroughMapping(model, model.target)}\nWHERE ${loggedKeys(
        model,
        s,
        model.copyKey,
      )}`,
    ];
  }
  return [
    sql`${rowsForWriter(model)}\nFROM ${s.qualify(
      model.source,
    )}\nWHERE ${loggedKeys(model, s, model.copyKey)}`,
  ];
}

/**
 * Change capture on the source and its removal. With a copy key: a log table and
 * triggers, and a freeze for the final catch-up. Without one there is nothing to replay
 * writes by, so the source is frozen from provision instead.
 */
function captureArtifacts(
  model: ArtifactModel,
): Pick<
  PlanArtifacts,
  'capture' | 'catchUp' | 'quiesce' | 'quiesceRollback' | 'captureRemoval'
> {
  const { sourceDialect: s } = model;
  // A frozen source must not send writers to the target before cutover has committed:
  // a write made there is lost when verify fails and rollback drops the target.
  const isFrozenForGood = model.compatibility === 'frozen-source';
  const freeze = (message: string) => s.freezeTable(model.source, message);
  const unfreeze = s.unfreezeTable(model.source);
  if (model.copyKey.length === 0) {
    return {
      capture: freeze(
        isFrozenForGood
          ? `Writes to ${model.source.table} are paused for a migration (no key to catch up by); retry later`
          : `Writes refused while ${model.source.table} moves to ${model.movedToLabel} (no key to catch up by); retry after the cutover`,
      ),
      catchUp: [],
      quiesce: [],
      quiesceRollback: [],
      captureRemoval: unfreeze,
    };
  }
  const log = changeLogOf(model.source);
  const guard = s.guardTable(model.source, model.copyKey);
  const unguard = s.unguardTable(model.source);
  return {
    capture:
      s.captureChanges(
        model.source,
        log,
        model.copyKey.map((name, i) => ({
          name,
          declaredType: model.copyKeyTypes[i],
        })),
      ) ?? [],
    catchUp: catchUpTemplates(model).map(t => t.text()),
    quiesce: freeze(
      isFrozenForGood
        ? `Writes to ${model.source.table} are paused for a migration; retry shortly`
        : `Writes paused for the cutover: ${model.source.table} is moving to ${model.movedToLabel}; retry in a minute`,
    ).concat(guard),
    quiesceRollback: [...unfreeze, ...unguard],
    captureRemoval: [
      ...s.stopCapture(model.source, log),
      ...unfreeze,
      ...unguard,
    ],
  };
}

/**
 * Change capture on the new table from cutover on, with the target's own capture
 * triggers: writes through an updatable compatibility view land there, and an undo of
 * the cutover would drop them. Keyed by the primary key (any column for a table without
 * one: the log is counted, not replayed).
 */
function compatibilityCaptureArtifacts(
  model: ArtifactModel,
): Pick<PlanArtifacts, 'compatibilityCapture' | 'compatibilityCaptureRemoval'> {
  const { targetDialect: t } = model;
  if (model.compatibility === 'frozen-source' || !t.captureChanges) return {};
  const log = compatibilityLogOf(model.target);
  const keyNames = model.primaryKey.length
    ? model.primaryKey
    : model.columns.slice(0, 1).map(c => c.target);
  const key = keyNames.map(name => ({
    name,
    declaredType:
      model.columns.find(c => c.target === name)?.targetType ?? 'text',
  }));
  const removal = t.stopCapture(model.target, log);
  return {
    // Removal first: a cutover that failed before its switch may have left it behind.
    compatibilityCapture: [
      ...removal,
      ...t.captureChanges(model.target, log, key),
    ],
    compatibilityCaptureRemoval: removal,
  };
}

/** Turns the model into the SQL a person reviews and the executor runs. */
export function generateArtifacts(model: ArtifactModel): PlanArtifacts {
  const { sourceDialect: s, targetDialect: t } = model;
  const backup: TableName = {
    schema: model.source.schema,
    table: backupTableName(model.source.table),
  };
  // The reason comes first: MySQL keeps only 128 characters of it.
  const frozenMessage = `Read-only until cleanup: ${model.source.table} moved to ${model.movedToLabel}; write there`;

  let cutover: string[];
  let cutoverRollback: string[];
  let cleanup: string[];
  let compatibilityView: string[] = [];
  // Catch-up guards a source with a key against TRUNCATE (MySQL); none without one.
  const unguard = model.copyKey.length > 0 ? s.unguardTable(model.source) : [];
  if (model.compatibility === 'foreign-view') {
    // The view stands in the source database, over a foreign table that reads the new
    // table; source and target are both PostgreSQL, so the reverse expressions apply.
    const server = model.foreignServer!;
    const foreign: TableName = {
      schema: model.source.schema,
      table: foreignTableName(model.source.table),
    };
    compatibilityView = [
      s.createView(model.source, viewSelect(model, foreign)),
    ];
    cutover = [
      ...foreignServerPreview(server),
      s.renameTable(model.source, backup.table),
      createForeignTable(
        foreign,
        model.columns.map(c => ({
          name: c.target,
          type: c.targetType,
          isNullable: c.isNullable,
        })),
        server,
        model.target,
      ),
      ...compatibilityView,
    ];
    cutoverRollback = [
      s.dropViewIfExists(model.source),
      dropForeignTableIfExists(foreign),
      s.renameTable(backup, model.source.table),
      dropForeignServerIfUnused(server),
    ];
    cleanup = [
      s.dropViewIfExists(model.source),
      dropForeignTableIfExists(foreign),
      dropForeignServerIfUnused(server),
      s.dropTableIfExists(backup),
    ];
  } else if (model.compatibility === 'view') {
    compatibilityView = [
      t.createView(model.source, viewSelect(model, model.target)),
    ];
    cutover = [s.renameTable(model.source, backup.table), ...compatibilityView];
    cutoverRollback = [
      t.dropViewIfExists(model.source),
      s.renameTable(backup, model.source.table),
    ];
    // The TRUNCATE guard references the backup now: it goes first.
    cleanup = [
      t.dropViewIfExists(model.source),
      ...unguard,
      s.dropTableIfExists(backup),
    ];
  } else {
    // The freeze that names the target replaces the pause only now: where DDL is not
    // transactional it stands before the pause goes, so writers are never let through.
    const unfreeze = [
      ...s.unfreezeTable(model.source, 'moved'),
      ...s.unfreezeTable(model.source, 'pause'),
    ];
    cutover = [
      ...s.freezeTable(model.source, frozenMessage, 'moved'),
      ...s.unfreezeTable(model.source, 'pause'),
    ];
    cutoverRollback = unfreeze;
    // The table first: its triggers go with it, and a DROP that fails (a lock, a
    // foreign key) leaves the table frozen instead of open to writes that are lost.
    // The TRUNCATE guard goes just before, since its foreign key would block the DROP
    // (cleanup puts it back when the DROP fails).
    cleanup = [...unguard, s.dropTableIfExists(model.source), ...unfreeze];
  }

  const capture = captureArtifacts(model);
  // The tables (and their triggers) are gone by now; the log, and PostgreSQL's
  // capture function, are not.
  if (model.copyKey.length > 0 && s.stopCapture) {
    cleanup = [
      ...cleanup,
      ...s.stopCapture(model.source, changeLogOf(model.source)),
    ];
  }

  return {
    ...tableArtifacts(model, model.target),
    ...(model.constraints?.afterCopy.length
      ? { targetConstraints: model.constraints.afterCopy }
      : {}),
    ...copyArtifacts(model),
    ...capture,
    compatibilityView,
    validation: {
      source: sourceValidation(model, s.qualify(model.source)),
      target: targetValidation(model, t.qualify(model.target)),
    },
    rollback: [t.dropTableIfExists(model.target)],
    cutover,
    cutoverRollback,
    ...identitySyncArtifact(model),
    ...compatibilityCaptureArtifacts(model),
    ...repointForeignKeysArtifacts(
      s,
      model.incomingForeignKeys ?? [],
      model.source,
      model.target,
    ),
    cleanup,
  };
}
