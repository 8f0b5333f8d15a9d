import { InputError } from '@backstage/errors';
import { findIncomingForeignKeys } from './lint/findIncomingForeignKeys';
import { findUnprotectedTruncate } from './lint/findUnprotectedTruncate';
import { findReadOnlyCompatibilityView } from './lint/findReadOnlyCompatibilityView';
import type {
  ColumnMapping,
  CopyStrategy,
  CompatibilityMode,
  Finding,
  IndexSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type {
  AgentConnection,
  AgentPlan,
  AgentPlanInput,
  DatasetMigrationAgent,
} from '@internal/backstage-plugin-dataset-migrations-node';
import { dialectForEngine } from './dialects';
import type { TableName } from './dialects/Dialect';
import { describeLogicalType, isNarrowing } from './dialects/LogicalType';
import {
  foreignServerName,
  POSTGRES_FDW_CONFIG_KEY,
} from './dialects/postgresFdw';
import { resolveRules } from './rules/resolveRules';
import type {
  ArtifactModel,
  ModelColumn,
  ViewColumn,
} from './sql/ArtifactModel';
import { planConstraints } from './sql/constraintsDdl';
import { generateArtifacts } from './sql/generateArtifacts';
import { indexName } from './sql/names';
import { carryColumn, settleIdentities } from './sql/columnFidelity';
import { coerceDefault } from './sql/portableDefault';

/** The identity and collation a carried column adds to its mapping, when it has them. */
const columnExtras = (carried: ReturnType<typeof carryColumn>) => ({
  ...(carried.identity ? { identity: carried.identity } : {}),
  ...(carried.collation ? { collation: carried.collation } : {}),
});

function connectionNamed(
  connections: AgentConnection[],
  name: string,
): AgentConnection {
  const connection = connections.find(c => c.name === name);
  if (!connection) {
    throw new InputError(
      `Connection "${name}" is not configured; add it under datasetMigrations.connections`,
    );
  }
  return connection;
}

/**
 * The built-in agent: plans a move of one table with SQL generated for the target
 * engine, from the introspected source and the admin rules.
 */
export class SqlAgent implements DatasetMigrationAgent {
  readonly id = 'sql';
  readonly version = '1.3.0';

  async createPlan(input: AgentPlanInput): Promise<AgentPlan> {
    const { source } = input;
    const decision = resolveRules(source, input.rules);
    const sourceConnection = connectionNamed(
      input.connections,
      source.connection,
    );
    const targetConnection = connectionNamed(
      input.connections,
      decision.target.connection,
    );
    const sd = dialectForEngine(source.engine);
    const td = dialectForEngine(targetConnection.engine);
    const findings: Finding[] = [];

    let targetSchema: string | undefined;
    if (td.engine === 'sqlite') {
      if (
        decision.target.schema &&
        decision.target.connection !== source.connection
      ) {
        throw new InputError(
          `Rule "${decision.target.rule}" places ${source.table} in schema "${decision.target.schema}" of SQLite connection "${targetConnection.name}"; SQLite has no schemas, remove target.schema`,
        );
      }
    } else if (decision.target.connection === source.connection) {
      targetSchema = decision.target.schema ?? source.schema;
    } else {
      targetSchema = decision.target.schema ?? targetConnection.defaultSchema;
    }
    const target: TableName = {
      schema: targetSchema,
      table: decision.target.table,
    };
    const sourceName: TableName = {
      schema: source.schema,
      table: source.table,
    };
    const isSameDatabase =
      sourceConnection.databaseKey === targetConnection.databaseKey;
    if (
      isSameDatabase &&
      (target.schema ?? '') === (source.schema ?? '') &&
      target.table === source.table
    ) {
      throw new InputError(
        `Rule "${decision.target.rule}" places ${source.table} at its own name; give the target another table name (e.g. target.table: '{table:snake}') or another schema or connection`,
      );
    }

    const columns: ColumnMapping[] = [];
    const model: ModelColumn[] = [];
    const viewColumns: ViewColumn[] = [];
    const targetNameOf = new Map<string, string>();

    for (const d of decision.columns) {
      const sourceLogical = sd.toLogical(d.column.type);
      if (d.drop) {
        findings.push({
          code: 'destructive-change',
          severity: d.drop.allowDestructive ? 'warning' : 'blocking',
          column: d.column.name,
          message: `Rule "${d.drop.rule}" drops column ${
            d.column.name
          }: its values are not copied and readers of the old name get NULL.${
            d.drop.allowDestructive
              ? ''
              : ' Set allowDestructive: true on the rule if this is intended.'
          }`,
        });
        viewColumns.push({
          oldName: d.column.name,
          expression: td.cast('NULL', sourceLogical),
        });
        continue;
      }
      const carried = carryColumn({
        column: d.column,
        sourceDialect: sd,
        targetDialect: td,
        isSameDatabase,
        cast: d.cast,
        ruleDefault: d.default,
      });
      findings.push(...carried.findings);
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
        findings.push({
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
      const loss = td.lossOf(targetLogical);
      if (loss && (sd.engine !== td.engine || d.cast)) {
        findings.push({
          code: 'lossy-type',
          severity: 'warning',
          column: d.column.name,
          message: loss,
        });
      }

      const reverse = d.cast
        ? td.cast(td.quote(d.targetName), sourceLogical)
        : td.quote(d.targetName);
      targetNameOf.set(d.column.name, d.targetName);
      viewColumns.push({ oldName: d.column.name, expression: reverse });
      model.push({
        target: d.targetName,
        targetType,
        targetLogical,
        isNullable: d.column.isNullable && !isPrimaryKey,
        defaultLiteral,
        sourceExpression: expression,
        ...columnExtras(carried),
      });
      columns.push({
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

    for (const c of decision.computed) {
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
      model.push({
        target: c.name,
        targetType,
        targetLogical,
        isNullable: true,
        defaultLiteral: null,
        sourceExpression: expression,
      });
      columns.push({
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

    const mapped = (names: string[]) =>
      names.every(n => targetNameOf.has(n))
        ? names.map(n => targetNameOf.get(n)!)
        : undefined;
    const primaryKey = mapped(source.primaryKey) ?? [];
    const uniqueKey = source.indexes.find(
      i =>
        i.isUnique &&
        i.columns.every(n =>
          source.columns.find(c => c.name === n && !c.isNullable),
        ),
    );
    const copyKey =
      source.primaryKey.length > 0
        ? source.primaryKey
        : uniqueKey?.columns ?? [];
    if (source.primaryKey.length === 0) {
      findings.push({
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
      });
    }
    const constraints = planConstraints({
      source,
      sourceDialect: sd,
      targetDialect: td,
      target,
      isSameDatabase,
      columns,
    });
    findings.push(...constraints.findings);
    const indexes: IndexSchema[] = [];
    for (const index of source.indexes) {
      if (constraints.asConstraints.has(index.name)) continue;
      const cols = mapped(index.columns);
      if (cols)
        indexes.push({
          name: indexName(target.table, cols, index.isUnique),
          columns: cols,
          isUnique: index.isUnique,
        });
    }

    findings.push(...settleIdentities(columns, model, td, primaryKey, indexes));

    const isPostgresPair = sd.engine === 'postgres' && td.engine === 'postgres';
    const canReadViaFdw =
      isPostgresPair &&
      (sourceConnection.foreignViewTargets ?? []).includes(
        targetConnection.name,
      );
    let compatibility: CompatibilityMode = 'frozen-source';
    if (isSameDatabase) compatibility = 'view';
    else if (canReadViaFdw) compatibility = 'foreign-view';
    const movedToLabel = `${targetConnection.name}:${
      target.schema ? `${target.schema}.` : ''
    }${target.table}`;
    if (compatibility === 'frozen-source') {
      let reason = 'another database';
      if (sd.engine !== td.engine) reason = 'another engine';
      else if (sd.engine === 'sqlite')
        reason = 'SQLite cannot put a view over another file';
      const remedy = isPostgresPair
        ? ` To keep a view at the old name instead, an admin can enable postgres_fdw for the pair: add { source: ${source.connection}, target: ${targetConnection.name} } under ${POSTGRES_FDW_CONFIG_KEY}.`
        : '';
      findings.push({
        code: 'no-compatibility-view',
        severity: 'warning',
        message: `No view can stand at the old name: ${source.engine} connection "${source.connection}" cannot read ${movedToLabel} (${reason}). After cutover the old table stays readable but read-only until cleanup; its consumers must repoint to ${movedToLabel} before finalize.${remedy}`,
      });
    }
    const incoming = findIncomingForeignKeys({
      source,
      sourceDialect: sd,
      target,
      targetConnection: targetConnection.name,
      compatibility,
      columns,
      primaryKey,
      // Every unique key the new table gets, as an index or as a UNIQUE constraint.
      indexes: source.indexes.flatMap(index => {
        const cols = mapped(index.columns);
        return cols && index.isUnique
          ? [{ name: index.name, columns: cols, isUnique: true }]
          : [];
      }),
    });
    findings.push(...incoming.findings);
    const unprotectedTruncate = findUnprotectedTruncate(source, copyKey);
    if (unprotectedTruncate) findings.push(unprotectedTruncate);
    findings.push(
      ...findReadOnlyCompatibilityView(source, compatibility, movedToLabel),
    );

    // Between PostgreSQL databases the rows never need to pass through JavaScript:
    // COPY TO streams straight into COPY FROM, one key range per transaction.
    let copyStrategy: CopyStrategy = 'streamed';
    if (isSameDatabase) copyStrategy = 'push-down';
    else if (
      sd.engine === 'postgres' &&
      td.engine === 'postgres' &&
      copyKey.length > 0
    )
      copyStrategy = 'copy-pipe';

    const artifactModel: ArtifactModel = {
      sourceDialect: sd,
      targetDialect: td,
      source: sourceName,
      target,
      columns: model,
      viewColumns,
      primaryKey,
      indexes,
      constraints,
      copyKey,
      copyKeyTypes: copyKey.map(
        k => source.columns.find(c => c.name === k)?.type ?? '',
      ),
      isSameDatabase,
      copyStrategy,
      compatibility,
      foreignServer:
        compatibility === 'foreign-view'
          ? foreignServerName(targetConnection.name)
          : undefined,
      movedToLabel,
      incomingForeignKeys: incoming.keys,
    };

    return {
      source,
      target: {
        connection: targetConnection.name,
        engine: td.engine,
        schema: target.schema,
        table: target.table,
        isSameDatabase,
      },
      columns,
      copyStrategy,
      compatibility,
      copyKey,
      artifacts: generateArtifacts(artifactModel),
      findings,
    };
  }
}
