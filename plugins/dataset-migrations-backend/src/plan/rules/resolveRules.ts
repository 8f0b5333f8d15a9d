import type {
  ColumnSchema,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { DatasetMigrationRule } from '@internal/backstage-plugin-dataset-migrations-node';
import { matchesGlob } from './glob';
import { renderTableTemplate, toSnakeCase } from './naming';

/** The built-in rule that applies after every admin rule. */
export const DEFAULT_RULE_NAME = 'default';

/** What the rules decided for one source column. */
export type ColumnDecision = {
  column: ColumnSchema;
  targetName: string;
  cast?: { type: string; rule: string; allowDestructive: boolean };
  default?: { value: string | number | boolean; rule: string };
  drop?: { rule: string; allowDestructive: boolean };
  /** Names of the rules that shaped the column, first the one that renamed it. */
  rules: string[];
};

/** What the rules decided for the table. */
export type TableDecision = {
  target: { connection: string; schema?: string; table: string; rule: string };
  columns: ColumnDecision[];
  computed: Array<{
    name: string;
    type: string;
    expression: string;
    rule: string;
  }>;
};

function matchesTable(
  rule: DatasetMigrationRule,
  source: TableSchema,
): boolean {
  return (
    matchesGlob(rule.match.connection, source.connection) &&
    matchesGlob(rule.match.schema, source.schema) &&
    matchesGlob(rule.match.table, source.table)
  );
}

function matchesColumn(
  rule: DatasetMigrationRule,
  source: TableSchema,
  column: ColumnSchema,
): boolean {
  return (
    matchesTable(rule, source) &&
    matchesGlob(rule.match.column, column.name) &&
    matchesGlob(rule.match.type, column.type)
  );
}

/** A rule that selects columns does not decide where the table goes. */
const isTableRule = (rule: DatasetMigrationRule) =>
  rule.match.column === undefined && rule.match.type === undefined;

/**
 * Applies the rules first-match-wins, separately for each kind of action: for every
 * column the first matching rule that renames, the first that casts, and so on; for
 * the table the first matching table rule that places it. Built-in defaults (keep
 * names and types, stay in place under `{table:snake}`) fill what no rule decided.
 */
export function resolveRules(
  source: TableSchema,
  rules: DatasetMigrationRule[],
): TableDecision {
  const tableRules = rules.filter(
    r => isTableRule(r) && matchesTable(r, source),
  );

  const placement = tableRules.find(r => r.target);
  const template = placement?.target?.table ?? '{table:snake}';
  const target = {
    connection: placement?.target?.connection ?? source.connection,
    schema: placement?.target?.schema,
    table: renderTableTemplate(
      template,
      { table: source.table, schema: source.schema },
      placement?.name ?? DEFAULT_RULE_NAME,
    ),
    rule: placement?.name ?? DEFAULT_RULE_NAME,
  };

  const columns = source.columns.map(column => {
    const matching = rules.filter(r => matchesColumn(r, source, column));
    const renamer = matching.find(
      r => r.renameTo !== undefined || r.renameColumns !== undefined,
    );
    const caster = matching.find(r => r.cast !== undefined);
    const defaulter = matching.find(r => r.default !== undefined);
    const dropper = matching.find(r => r.drop !== undefined);

    let targetName = column.name;
    if (renamer?.renameTo !== undefined) targetName = renamer.renameTo;
    else if (renamer?.renameColumns === 'snake_case')
      targetName = toSnakeCase(column.name);

    const decision: ColumnDecision = {
      column,
      targetName,
      rules: [renamer?.name ?? DEFAULT_RULE_NAME],
    };
    if (caster) {
      decision.cast = {
        type: caster.cast!,
        rule: caster.name,
        allowDestructive: caster.allowDestructive,
      };
      decision.rules.push(caster.name);
    }
    if (defaulter) {
      decision.default = { value: defaulter.default!, rule: defaulter.name };
      decision.rules.push(defaulter.name);
    }
    if (dropper?.drop) {
      decision.drop = {
        rule: dropper.name,
        allowDestructive: dropper.allowDestructive,
      };
      decision.rules.push(dropper.name);
    }
    decision.rules = [...new Set(decision.rules)];
    return decision;
  });

  const computedRule = tableRules.find(r => r.computed.length > 0);
  const computed = (computedRule?.computed ?? []).map(c => ({
    ...c,
    rule: computedRule!.name,
  }));

  return { target, columns, computed };
}
