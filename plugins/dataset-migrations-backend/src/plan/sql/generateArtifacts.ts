import type { PlanArtifacts } from '@internal/backstage-plugin-dataset-migrations-common';
import type { TableName } from '../dialects/Dialect';
import {
  createForeignTable,
  dropForeignServerIfUnused,
  dropForeignTableIfExists,
  foreignServerPreview,
  foreignTableName,
} from '../dialects/postgresFdw';
import type { ArtifactModel } from './ArtifactModel';
import {
  copyInStatement,
  copyOutStatement,
  keyComparison,
  keyPlaceholders,
} from './keyRangeSql';
import { backupTableName } from './names';
import { validationQuery } from './validationQuery';

/** Rows per batch of a streamed copy. */
export const COPY_BATCH_SIZE = 5000;

/** The streamed copy's batch query; `afterKey` adds the keyset condition. */
export function batchQuery(
  model: ArtifactModel,
  options: { afterKey: boolean; limit: number | null },
): string {
  const { sourceDialect: d } = model;
  // Positional aliases: the writer reads c<i> whatever the expression is.
  const select = model.columns.map(
    (c, i) => `${c.sourceExpression} AS ${d.quote(`c${i}`)}`,
  );
  const key = model.copyKey.map(k => d.quote(k));
  // The key columns ride along (as dm_k0, ...) so the next batch can start after them.
  key.forEach((k, i) => select.push(`${k} AS ${d.quote(`dm_k${i}`)}`));
  let sql = `SELECT ${select.join(', ')}\nFROM ${d.qualify(model.source)}`;
  if (key.length > 0) {
    if (options.afterKey) {
      sql += `\nWHERE ${keyComparison(
        d,
        model.copyKey,
        '>',
        keyPlaceholders('after', key.length),
      )}`;
    }
    sql += `\nORDER BY ${key.join(', ')}`;
  }
  if (options.limit !== null) sql += `\n${d.limit(options.limit)}`;
  return sql;
}

/** The same-database copy: one INSERT ... SELECT the engine runs without moving rows out. */
export function pushDownCopy(model: ArtifactModel, target: TableName): string {
  const { targetDialect: t, sourceDialect: s } = model;
  const columns = model.columns.map(c => t.quote(c.target)).join(', ');
  const select = model.columns.map(c => c.sourceExpression).join(', ');
  const order = model.copyKey.length
    ? `\nORDER BY ${model.copyKey.map(k => s.quote(k)).join(', ')}`
    : '';
  return `INSERT INTO ${t.qualify(
    target,
  )} (${columns})\nSELECT ${select}\nFROM ${s.qualify(model.source)}${order}`;
}

export function targetDdl(model: ArtifactModel, target: TableName): string[] {
  const { targetDialect: t } = model;
  return [
    t.createTable(
      target,
      model.columns.map(c => ({
        name: c.target,
        type: c.targetType,
        isNullable: c.isNullable,
        defaultValue: c.defaultLiteral,
      })),
      model.primaryKey,
    ),
    // Column types let MySQL give text columns the prefix length an index needs.
    ...model.indexes.map(index =>
      t.createIndex(
        target,
        index,
        Object.fromEntries(model.columns.map(c => [c.target, c.targetType])),
      ),
    ),
  ];
}

/** The view's SELECT over `target`: the new table, or (foreign-view) the foreign table over it. */
export function viewSelect(model: ArtifactModel, target: TableName): string {
  const { targetDialect: t } = model;
  const columns = model.viewColumns
    .map(c => `${c.expression} AS ${t.quote(c.oldName)}`)
    .join(',\n       ');
  return `SELECT ${columns}\nFROM ${t.qualify(target)}`;
}

export function sourceValidation(model: ArtifactModel, from: string): string {
  return validationQuery(
    model.sourceDialect,
    from,
    model.columns.map(c => ({
      expression: c.sourceExpression,
      type: c.targetLogical,
    })),
  );
}

export function targetValidation(model: ArtifactModel, from: string): string {
  return validationQuery(
    model.targetDialect,
    from,
    model.columns.map(c => ({
      expression: model.targetDialect.quote(c.target),
      type: c.targetLogical,
    })),
  );
}

/** The copy's statements for the plan's strategy. */
function copyArtifacts(
  model: ArtifactModel,
): Pick<PlanArtifacts, 'copy' | 'copyNext' | 'copyInto'> {
  const { sourceDialect: s, targetDialect: t } = model;
  switch (model.copyStrategy) {
    case 'push-down':
      return { copy: pushDownCopy(model, model.target) };
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
      const limit = model.copyKey.length > 0 ? COPY_BATCH_SIZE : null;
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
    cleanup = [t.dropViewIfExists(model.source), s.dropTableIfExists(backup)];
  } else {
    cutover = s.freezeTable?.(model.source, frozenMessage) ?? [];
    cutoverRollback = s.unfreezeTable?.(model.source) ?? [];
    cleanup = [...cutoverRollback, s.dropTableIfExists(model.source)];
  }

  return {
    targetDdl: targetDdl(model, model.target),
    ...copyArtifacts(model),
    compatibilityView,
    validation: {
      source: sourceValidation(model, s.qualify(model.source)),
      target: targetValidation(model, t.qualify(model.target)),
    },
    rollback: [t.dropTableIfExists(model.target)],
    cutover,
    cutoverRollback,
    cleanup,
  };
}
