import { InputError } from '@backstage/errors';
import type {
  ColumnMapping,
  Finding,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { describeLogicalType, isNarrowing } from '../../dialects/LogicalType';
import type { ColumnDecision, TableDecision } from '../rules/resolveRules';
import type { ModelColumn, ViewColumn } from '../sql/ArtifactModel';
import { carryColumn } from '../sql/columnFidelity';
import { coerceDefault } from '../../dialects/portableDefault';
import type { Placement } from './placeTarget';

/** The target's columns, from the source's columns and the rules' computed columns. */
export type MappedColumns = {
  /** The plan's column mapping, in target column order. */
  columns: ColumnMapping[];
  /** The same columns as the SQL generator needs them, index for index. */
  model: ModelColumn[];
  /** The old columns as the CompatibilityView presents them, dropped ones as NULL. */
  viewColumns: ViewColumn[];
  /** Target name of each source column that is carried (not dropped). */
  targetNameOf: ReadonlyMap<string, string>;
  findings: Finding[];
};

type ColumnPlacement = Pick<
  Placement,
  'sourceDialect' | 'targetDialect' | 'isSameDatabase'
>;

/** The identity and collation a carried column adds to its mapping, when it has them. */
const columnExtras = (carried: ReturnType<typeof carryColumn>) => ({
  ...(carried.identity ? { identity: carried.identity } : {}),
  ...(carried.collation ? { collation: carried.collation } : {}),
});

function dropFinding(
  d: ColumnDecision,
  drop: NonNullable<ColumnDecision['drop']>,
): Finding {
  return {
    code: 'destructive-change',
    severity: drop.allowDestructive ? 'warning' : 'blocking',
    column: d.column.name,
    message: `Rule "${drop.rule}" drops column ${
      d.column.name
    }: its values are not copied and readers of the old name get NULL.${
      drop.allowDestructive
        ? ''
        : ' Set allowDestructive: true on the rule if this is intended.'
    }`,
  };
}

/** Adds one source column the rules keep: its mapping, model column and view column. */
function mapSourceColumn(
  d: ColumnDecision,
  source: TableSchema,
  { sourceDialect: sd, targetDialect: td, isSameDatabase }: ColumnPlacement,
  out: MappedColumns & { targetNameOf: Map<string, string> },
): void {
  const sourceLogical = sd.toLogical(d.column.type);
  const carried = carryColumn({
    column: d.column,
    sourceDialect: sd,
    targetDialect: td,
    isSameDatabase,
    cast: d.cast,
    ruleDefault: d.default,
  });
  out.findings.push(...carried.findings);
  const { targetLogical, targetType } = carried;
  const isPrimaryKey = source.primaryKey.includes(d.column.name);

  let expression = carried.sourceValue(sd.quote(d.column.name));
  if (d.cast) expression = sd.cast(expression, targetLogical);
  const defaultLiteral = carried.defaultSql;
  if (d.default) {
    const value = coerceDefault(d.default.value, targetLogical.kind);
    // A rule default also fills the source's NULLs, so NOT NULL targets accept them.
    expression = `COALESCE(${expression}, ${sd.literal(value)})`;
  }

  if (d.cast && isNarrowing(sourceLogical, targetLogical)) {
    out.findings.push({
      code: 'narrowing-cast',
      severity: d.cast.allowDestructive ? 'warning' : 'blocking',
      column: d.column.name,
      message: `Rule "${d.cast.rule}" casts ${
        d.column.name
      } from ${describeLogicalType(sourceLogical)} to ${describeLogicalType(
        targetLogical,
      )}, which can fail or lose data; widen the cast or set allowDestructive: true on the rule.`,
    });
  }
  // On one engine an uncast column keeps its declared type exactly: only a cast can lose.
  const loss = td.lossOf(targetLogical);
  if (loss && (sd.engine !== td.engine || d.cast)) {
    out.findings.push({
      code: 'lossy-type',
      severity: 'warning',
      column: d.column.name,
      message: loss,
    });
  }

  const reverse = d.cast
    ? td.cast(td.quote(d.targetName), sourceLogical)
    : td.quote(d.targetName);
  out.targetNameOf.set(d.column.name, d.targetName);
  out.viewColumns.push({ oldName: d.column.name, expression: reverse });
  out.model.push({
    target: d.targetName,
    targetType,
    targetLogical,
    isNullable: d.column.isNullable && !isPrimaryKey,
    defaultLiteral,
    sourceExpression: expression,
    ...columnExtras(carried),
    ...(carried.isSameEngineType ? { isVerbatim: true } : {}),
  });
  out.columns.push({
    source: d.column.name,
    sourceExpression: expression,
    target: d.targetName,
    sourceType: d.column.type,
    targetType,
    isNullable: d.column.isNullable && !isPrimaryKey,
    defaultValue: defaultLiteral,
    reverseExpression: reverse,
    rule: d.rules.join(', '),
    ...columnExtras(carried),
    ...(carried.isDefaultExpression ? { isDefaultExpression: true } : {}),
  });
}

/** Adds one computed column: a rule's expression over `{column}` placeholders. */
function mapComputedColumn(
  c: TableDecision['computed'][number],
  source: TableSchema,
  { sourceDialect: sd, targetDialect: td }: ColumnPlacement,
  out: MappedColumns,
): void {
  const expression = c.expression.replace(
    /\{([^}]+)\}/g,
    (_m, name: string) => {
      if (!source.columns.some(col => col.name === name)) {
        throw new InputError(
          `Rule "${c.rule}" computes ${c.name} from {${name}}, which is not a column of ${source.table}`,
        );
      }
      return sd.quote(name);
    },
  );
  const targetLogical = td.toLogical(c.type);
  const targetType = td.renderType(targetLogical);
  out.model.push({
    target: c.name,
    targetType,
    targetLogical,
    isNullable: true,
    defaultLiteral: null,
    sourceExpression: expression,
  });
  out.columns.push({
    source: null,
    sourceExpression: expression,
    target: c.name,
    sourceType: null,
    targetType,
    isNullable: true,
    defaultValue: null,
    reverseExpression: null,
    rule: c.rule,
  });
}

/**
 * Target column names are compared case-insensitively: MySQL/MariaDB and SQLite treat
 * `Total` and `total` as one column name.
 */
function refuseClashingTargets(
  columns: ColumnMapping[],
  source: TableSchema,
  { targetDialect: td }: ColumnPlacement,
): void {
  const seen = new Map<string, string>();
  for (const c of columns) {
    const key = c.target.toLocaleLowerCase('en-US');
    if (seen.has(key)) {
      throw new InputError(
        `Two columns of ${source.table} map to the target column "${
          c.target
        }" (${seen.get(key)} and ${
          c.source ?? 'a computed column'
        }); add a renameTo rule for one of them`,
      );
    }
    seen.set(key, c.source ?? c.target);
    td.quote(c.target); // refuses a rule-made name that cannot be quoted
  }
}

/**
 * Maps every source column through the rules (renamed, cast, defaulted, dropped, its
 * type, default, identity and collation carried by `carryColumn`), then appends the
 * rules' computed columns. Dropped columns stay in the CompatibilityView as NULL.
 */
export function mapColumns(
  source: TableSchema,
  decision: Pick<TableDecision, 'columns' | 'computed'>,
  placement: ColumnPlacement,
): MappedColumns {
  const out = {
    columns: [] as ColumnMapping[],
    model: [] as ModelColumn[],
    viewColumns: [] as ViewColumn[],
    targetNameOf: new Map<string, string>(),
    findings: [] as Finding[],
  };
  for (const d of decision.columns) {
    if (d.drop) {
      out.findings.push(dropFinding(d, d.drop));
      out.viewColumns.push({
        oldName: d.column.name,
        expression: placement.targetDialect.cast(
          'NULL',
          placement.sourceDialect.toLogical(d.column.type),
        ),
      });
      continue;
    }
    mapSourceColumn(d, source, placement, out);
  }
  for (const c of decision.computed)
    mapComputedColumn(c, source, placement, out);
  refuseClashingTargets(out.columns, source, placement);
  return out;
}
