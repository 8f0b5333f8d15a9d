import type { Engine } from '@internal/backstage-plugin-dataset-migrations-common';
import type { ConsumerTableName } from '@internal/backstage-plugin-dataset-migrations-node';
import type { Identifier } from 'sql-parser-cst';
import {
  children,
  identifiersUnder,
  isIdentifier,
  isNode,
  isQuery,
  rangeOf,
  unparenthesize,
  type CstNode,
} from './cstNodes';
import { QueryScope, type RangeVariable } from './QueryScope';
import { sqlNames, type SqlNames } from './sqlNames';

/** The move a consumer's SQL must follow. */
export type TableMove = {
  engine: Engine;
  from: ConsumerTableName;
  to: ConsumerTableName;
  columns: Array<{ from: string; to: string }>;
  /** Every column of the old table, in order, when known: lets `*` be expanded. */
  sourceColumns?: string[];
};

/** Replace `[start, end)` of the statement's text with `text`. */
export type TextEdit = { start: number; end: number; text: string };

/** A reference the agent cannot rewrite with certainty, and where it is. */
export class UncertainRewrite extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

// Node kinds whose children are all expressions (or harmless keywords and literals):
// a reference inside them is a column reference in the same query level.
const TRANSPARENT = new Set([
  'binary_expr',
  'prefix_op_expr',
  'postfix_op_expr',
  'paren_expr',
  'list_expr',
  'between_expr',
  'case_expr',
  'case_when',
  'case_else',
  'row_constructor',
  'quantifier_expr',
  'array_expr',
  'func_args',
  'filter_arg',
  'having_arg',
  'where_clause',
  'sort_specification',
  'partition_by_clause',
  'order_by_clause',
  'limit_clause',
  'offset_clause',
  'fetch_clause',
  'index_specification',
  'full_text_match_expr',
  'full_text_match_args',
  'string_with_charset',
]);

/**
 * Finds every reference to the migrated table and its columns in one statement and
 * records the text edits that repoint them, resolving names the way the engine does:
 * FROM items and their aliases per query level, common table expressions that shadow
 * the table, correlated subqueries. Output column names are kept (`new AS old`), so
 * whatever reads a query's result (the consumer's code, an outer query, a view's
 * readers) sees the same names. Whatever it cannot resolve with certainty throws an
 * {@link UncertainRewrite}, never a guess.
 */
export class ReferenceRewriter {
  readonly edits: TextEdit[] = [];
  readonly names: SqlNames;
  /** Column-name identifiers that were renamed, with the old (declared) name. */
  private readonly renamedColumns = new Map<CstNode, string>();

  constructor(readonly move: TableMove, private readonly source: string) {
    this.names = sqlNames(move.engine);
  }

  rootScope(): QueryScope {
    return new QueryScope(this.names, undefined, []);
  }

  // ---- names ---------------------------------------------------------------

  catalog(id: Identifier): string {
    return this.names.catalogName(id);
  }

  renameOf(column: string): string | undefined {
    return this.move.columns.find(
      c => this.names.same('column', c.from, column) && c.from !== c.to,
    )?.to;
  }

  /** Whether a name only the new table has could capture a reference after the rename. */
  private isNewColumnName(column: string): boolean {
    return (
      this.move.columns.some(c => this.names.same('column', c.to, column)) &&
      !this.move.columns.some(c => this.names.same('column', c.from, column))
    );
  }

  private hasColumnRenames(): boolean {
    return this.move.columns.some(c => c.from !== c.to);
  }

  /** Whether an identifier could be a reference this rewrite cares about. */
  matters(id: Identifier): boolean {
    const name = this.catalog(id);
    return (
      this.names.same('table', name, this.move.from.table) ||
      name.toLowerCase() === this.move.from.table.toLowerCase() ||
      this.renameOf(name) !== undefined ||
      this.isNewColumnName(name)
    );
  }

  uncertain(message: string, node: CstNode): never {
    throw new UncertainRewrite(message, rangeOf(node)[0]);
  }

  /** Refuses a node kind the rewriter does not understand when it could hide a reference. */
  unknown(node: CstNode): void {
    const hidden = identifiersUnder(node).find(id => this.matters(id));
    if (hidden)
      this.uncertain(
        `\`${hidden.text}\` appears inside syntax the agent does not rewrite (${node.type})`,
        node,
      );
  }

  replace(node: CstNode, text: string) {
    const [start, end] = rangeOf(node);
    if (this.source.slice(start, end) !== text)
      this.edits.push({ start, end, text });
  }

  textOf(node: CstNode): string {
    const [start, end] = rangeOf(node);
    return this.source.slice(start, end);
  }

  // ---- tables --------------------------------------------------------------

  /** Whether a table reference (not a column) names the migrated table. */
  matchTable(entity: CstNode, scope: QueryScope): 'migrated' | 'other' {
    const { from } = this.move;
    if (isIdentifier(entity)) {
      const name = this.catalog(entity);
      if (scope.isCommonTable(name)) return 'other';
      if (this.names.same('table', name, from.table)) return 'migrated';
      if (name.toLowerCase() === from.table.toLowerCase())
        this.uncertain(
          `\`${entity.text}\` differs from \`${from.table}\` only by case; whether it names the migrated table depends on the server's lower_case_table_names`,
          entity,
        );
      return 'other';
    }
    if (entity.type !== 'member_expr' || !isIdentifier(entity.property))
      return 'other';
    const table = this.catalog(entity.property);
    if (!this.names.same('table', table, from.table)) return 'other';
    if (!isIdentifier(entity.object))
      this.uncertain(
        `\`${this.textOf(entity)}\` is a name of more than two parts`,
        entity,
      );
    const schema = this.catalog(entity.object);
    if (from.schema === undefined) {
      if (this.move.engine === 'sqlite' && schema.toLowerCase() === 'main')
        return 'migrated';
      this.uncertain(
        `cannot tell whether \`${this.textOf(
          entity,
        )}\` is the migrated table: the move names no schema`,
        entity,
      );
    }
    return this.names.same('table', schema, from.schema) ? 'migrated' : 'other';
  }

  /** Repoints a reference to the migrated table at the new one. */
  renameTable(entity: CstNode) {
    const { from, to } = this.move;
    if (isIdentifier(entity)) {
      const moved =
        to.schema !== undefined &&
        !(
          from.schema !== undefined &&
          this.names.same('table', from.schema, to.schema)
        );
      const table = this.names.write(to.table, entity);
      this.replace(
        entity,
        moved ? `${this.names.write(to.schema!)}.${table}` : table,
      );
      return;
    }
    const object = entity.object as Identifier & CstNode;
    const property = entity.property as Identifier & CstNode;
    if (to.schema !== undefined)
      this.replace(object, this.names.write(to.schema, object));
    this.replace(property, this.names.write(to.table, property));
  }

  /** The range variable a table reference adds to its query level. */
  tableVariable(
    entity: CstNode,
    alias: Identifier | undefined,
    scope: QueryScope,
  ): RangeVariable {
    const isMigrated = this.matchTable(entity, scope) === 'migrated';
    if (isMigrated) this.renameTable(entity);
    const tableId = (isIdentifier(entity) ? entity : entity.property) as
      | (Identifier & CstNode)
      | undefined;
    if (!tableId || !isIdentifier(tableId)) {
      this.unknown(entity);
      return { name: '', isMigrated: false, label: null };
    }
    const renamesQualifier =
      isMigrated &&
      !alias &&
      !this.names.same('table', this.move.from.table, this.move.to.table);
    return {
      name: this.catalog(alias ?? tableId),
      isMigrated,
      qualifierRewrite: renamesQualifier ? this.move.to.table : undefined,
      label: this.label(alias, isMigrated, tableId),
    };
  }

  /** How `*` expansion qualifies a table's columns. */
  private label(
    alias: Identifier | undefined,
    isMigrated: boolean,
    tableId: Identifier,
  ): string {
    if (alias) return alias.text;
    return isMigrated
      ? this.names.write(this.move.to.table, tableId)
      : tableId.text;
  }

  // ---- FROM ----------------------------------------------------------------

  /** Adds a FROM clause's items to `scope`; derived tables see `outer`. */
  fromItems(node: CstNode, scope: QueryScope, outer: QueryScope) {
    switch (node.type) {
      case 'join_expr': {
        this.fromItems(node.left as CstNode, scope, outer);
        this.fromItems(node.right as CstNode, scope, outer);
        const operator = [node.operator].flat() as unknown[];
        const natural = operator.some(
          k => isNode(k) && (k as { name?: string }).name === 'NATURAL',
        );
        if (natural) this.mergeColumns(node, scope);
        const spec = node.specification as CstNode | undefined;
        if (spec?.type === 'join_on_specification')
          this.expr(spec.expr as CstNode, scope);
        else if (spec?.type === 'join_using_specification') {
          for (const id of identifiersUnder(spec))
            if (scope.hasMigrated() && this.renameOf(this.catalog(id)))
              this.uncertain(
                `JOIN … USING (${id.text}) joins on a column the move renames`,
                spec,
              );
          this.mergeColumns(node, scope);
        }
        return;
      }
      case 'alias': {
        const inner = node.expr as CstNode;
        const alias = node.alias as Identifier;
        if (isIdentifier(inner) || inner.type === 'member_expr') {
          scope.variables.push(this.tableVariable(inner, alias, scope));
          return;
        }
        this.fromItems(inner, scope, outer);
        const added = scope.variables[scope.variables.length - 1];
        if (added && !added.isMigrated && added.label === null) {
          added.name = this.catalog(alias);
          added.label = alias.text;
        }
        return;
      }
      case 'identifier':
      case 'member_expr':
        scope.variables.push(this.tableVariable(node, undefined, scope));
        return;
      case 'paren_expr': {
        const inner = unparenthesize(node);
        if (isQuery(inner)) {
          this.query(inner, outer, true);
          scope.variables.push({ name: '', isMigrated: false, label: null });
        } else this.fromItems(inner, scope, outer);
        return;
      }
      case 'lateral_derived_table':
        // LATERAL sees the items to its left.
        this.expr(node.expr as CstNode, scope);
        scope.variables.push({ name: '', isMigrated: false, label: null });
        return;
      case 'func_call':
        this.expr(node, outer);
        scope.variables.push({ name: '', isMigrated: false, label: null });
        return;
      case 'indexed_table':
      case 'not_indexed_table':
      case 'partitioned_table':
      case 'table_with_inheritance':
      case 'table_without_inheritance':
        this.fromItems(node.table as CstNode, scope, outer);
        return;
      default:
        this.unknown(node);
        scope.variables.push({ name: '', isMigrated: false, label: null });
    }
  }

  private mergeColumns(node: CstNode, scope: QueryScope) {
    scope.mergesColumns = true;
    if (
      scope.hasMigrated() &&
      this.hasColumnRenames() &&
      node.type === 'join_expr'
    ) {
      const operator = [node.operator].flat() as Array<{ name?: string }>;
      if (operator.some(k => k.name === 'NATURAL'))
        this.uncertain(
          'a NATURAL join with the migrated table joins on column names the move renames',
          node,
        );
    }
  }

  // ---- queries -------------------------------------------------------------

  /**
   * A query (SELECT or a compound of SELECTs). `namesMatter` says whether its result
   * column names are read by something (false under EXISTS).
   */
  query(node: CstNode, parent: QueryScope, namesMatter: boolean) {
    if (node.type !== 'compound_select_stmt') {
      this.select(node, parent, namesMatter, {});
      return;
    }
    const branches: CstNode[] = [];
    const flatten = (n: CstNode) => {
      if (n.type === 'compound_select_stmt') {
        flatten(n.left as CstNode);
        flatten(n.right as CstNode);
      } else branches.push(n);
    };
    flatten(node);
    // The parser hangs a compound's WITH on its first branch and its ORDER BY / LIMIT
    // on its last; both belong to the whole compound.
    const first = branches[0];
    const last = branches[branches.length - 1];
    const withClause = (first.clauses as CstNode[] | undefined)?.find(
      c => c.type === 'with_clause',
    );
    const scope = withClause ? this.withClause(withClause, parent) : parent;
    for (const branch of branches) {
      if (branch.type === 'paren_expr')
        this.query(unparenthesize(branch), scope, namesMatter);
      else
        this.select(branch, scope, namesMatter, {
          skipWith: branch === first,
          isCompoundTail: branch === last,
        });
    }
  }

  /** A WITH clause: each CTE sees the ones before it (and itself when recursive). */
  withClause(node: CstNode, parent: QueryScope): QueryScope {
    const recursive = Boolean(node.recursiveKw);
    const tables = (node.tables as CstNode).items as CstNode[];
    // SQLite lets every CTE of a WITH see all the others; PostgreSQL and MySQL only the
    // earlier ones (and itself when recursive).
    const all = tables.map(cte => this.catalog(cte.table as Identifier));
    const names: string[] = [];
    for (const cte of tables) {
      const name = this.catalog(cte.table as Identifier);
      let visible = recursive ? [...names, name] : names;
      if (this.move.engine === 'sqlite') visible = all;
      const bodyScope = parent.child([...visible]);
      const body = unparenthesize(cte.expr as CstNode);
      if (isQuery(body)) this.query(body, bodyScope, true);
      else this.dataModifying(body, bodyScope);
      names.push(name);
    }
    return parent.child(names);
  }

  /** Set by the statement rewriter: INSERT/UPDATE/DELETE inside a WITH. */
  dataModifying: (node: CstNode, scope: QueryScope) => void = node =>
    this.unknown(node);

  select(
    node: CstNode,
    parent: QueryScope,
    namesMatter: boolean,
    options: { skipWith?: boolean; isCompoundTail?: boolean },
  ) {
    if (node.type === 'paren_expr') {
      this.query(unparenthesize(node), parent, namesMatter);
      return;
    }
    const clauses = node.clauses as CstNode[];
    const withClause = clauses.find(c => c.type === 'with_clause');
    const outer =
      withClause && !options.skipWith
        ? this.withClause(withClause, parent)
        : parent;
    const scope = outer.child();
    const from = clauses.find(c => c.type === 'from_clause');
    if (from) this.fromItems(from.expr as CstNode, scope, outer);
    const outputAliases = this.outputAliases(clauses);
    for (const clause of clauses) {
      switch (clause.type) {
        case 'with_clause':
        case 'from_clause':
          break;
        case 'select_clause':
          for (const modifier of clause.modifiers as CstNode[])
            this.expr(modifier, scope);
          if (clause.columns)
            this.selectList(clause.columns as CstNode, scope, namesMatter);
          break;
        case 'where_clause':
          this.expr(clause.expr as CstNode, scope);
          break;
        case 'group_by_clause':
          for (const item of (clause.columns as CstNode).items as CstNode[])
            this.exprOrOutputName(item, scope, outputAliases);
          break;
        case 'having_clause':
          this.exprOrOutputName(clause.expr as CstNode, scope, outputAliases);
          break;
        case 'order_by_clause':
          if (options.isCompoundTail) break; // names the compound's result columns
          for (const item of (clause.specifications as CstNode)
            .items as CstNode[])
            this.exprOrOutputName(
              item.type === 'sort_specification'
                ? (item.expr as CstNode)
                : item,
              scope,
              outputAliases,
            );
          break;
        case 'window_clause':
          for (const named of (clause.namedWindows as CstNode)
            .items as CstNode[])
            this.expr(named.window as CstNode, scope);
          break;
        case 'limit_clause':
        case 'offset_clause':
        case 'fetch_clause':
          if (!options.isCompoundTail) this.expr(clause, scope);
          break;
        default:
          this.unknown(clause);
      }
    }
  }

  private outputAliases(clauses: CstNode[]): string[] {
    const select = clauses.find(c => c.type === 'select_clause');
    const items = ((select?.columns as CstNode | undefined)?.items ??
      []) as CstNode[];
    return items
      .filter(i => i.type === 'alias')
      .map(i => this.catalog(i.alias as Identifier));
  }

  /** ORDER BY, GROUP BY and HAVING may name an output column by its alias: leave those. */
  private exprOrOutputName(
    node: CstNode,
    scope: QueryScope,
    outputAliases: string[],
  ) {
    if (
      isIdentifier(node) &&
      outputAliases.some(a => this.names.same('column', a, this.catalog(node)))
    )
      return;
    this.expr(node, scope);
  }

  selectList(list: CstNode, scope: QueryScope, namesMatter: boolean) {
    for (const item of list.items as CstNode[]) {
      if (item.type === 'all_columns') {
        this.star(item, scope, namesMatter, undefined);
      } else if (
        item.type === 'member_expr' &&
        isNode(item.property) &&
        item.property.type === 'all_columns'
      ) {
        const variable = this.qualifier(item.object as CstNode, scope);
        if (variable) this.star(item, scope, namesMatter, variable);
      } else if (item.type === 'alias') {
        this.expr(item.expr as CstNode, scope);
      } else if (item.type !== 'empty') {
        const before = this.edits.length;
        this.expr(item, scope);
        if (namesMatter && this.edits.length > before) {
          const alias = this.outputAlias(item);
          const end = rangeOf(item)[1];
          if (alias) this.edits.push({ start: end, end, text: ` AS ${alias}` });
        }
      }
    }
  }

  /**
   * The alias that keeps an unnamed select item's result name after its text changed:
   * each engine names such a column differently (PostgreSQL after the column, even
   * through a cast; SQLite after the declared column, else the expression's text;
   * MySQL after the column as typed, else the expression's text).
   */
  private outputAlias(item: CstNode): string | null {
    const { engine } = this.move;
    let core = unparenthesize(item);
    while (
      engine === 'postgres' &&
      (core.type === 'cast_operator_expr' || core.type === 'cast_expr')
    ) {
      core = unparenthesize(
        core.type === 'cast_operator_expr'
          ? (core.left as CstNode)
          : (((core.args as CstNode).expr as CstNode).expr as CstNode),
      );
    }
    let column: (Identifier & CstNode) | undefined;
    if (isIdentifier(core)) column = core;
    else if (core.type === 'member_expr' && isIdentifier(core.property))
      column = core.property;
    if (column) {
      const old = this.renamedColumns.get(column);
      if (!old) return null;
      return engine === 'sqlite' ? this.names.write(old) : column.text;
    }
    if (engine === 'postgres') return null;
    return this.names.write(this.textOf(item));
  }

  /** `*` or `t.*`: expanded to the old names when renamed columns would change it. */
  private star(
    node: CstNode,
    scope: QueryScope,
    namesMatter: boolean,
    only: RangeVariable | undefined,
  ) {
    const variables = only ? [only] : scope.variables;
    if (
      !namesMatter ||
      !this.hasColumnRenames() ||
      !variables.some(v => v.isMigrated)
    )
      return;
    const renamed = this.move.columns
      .filter(c => c.from !== c.to)
      .map(c => `${c.from} → ${c.to}`)
      .join(', ');
    const columns = this.move.sourceColumns;
    if (!columns?.length)
      this.uncertain(
        `\`${this.textOf(
          node,
        )}\` would return the renamed columns under their new names (${renamed}); list the columns the query needs`,
        node,
      );
    if (!only && scope.mergesColumns)
      this.uncertain(
        '`*` over a NATURAL join or JOIN … USING merges columns by name; list the columns the query needs',
        node,
      );
    if (variables.some(v => !v.label))
      this.uncertain(
        '`*` over a subquery without an alias; list the columns the query needs',
        node,
      );
    const qualify = Boolean(only) || variables.length > 1;
    const parts = variables.map(v => {
      if (!v.isMigrated) return `${v.label}.*`;
      const prefix = qualify ? `${v.label}.` : '';
      return columns
        .map(c => {
          const to = this.renameOf(c);
          return to
            ? `${prefix}${this.names.write(to)} AS ${this.names.write(c)}`
            : `${prefix}${this.names.write(c)}`;
        })
        .join(', ');
    });
    // The expansion supersedes a repointed qualifier inside `t.*`.
    const [start, end] = rangeOf(node);
    for (let i = this.edits.length - 1; i >= 0; i--)
      if (this.edits[i].start >= start && this.edits[i].end <= end)
        this.edits.splice(i, 1);
    this.replace(node, parts.join(', '));
  }

  // ---- expressions ---------------------------------------------------------

  expr(node: CstNode, scope: QueryScope): void {
    if (isQuery(node)) {
      this.query(node, scope, true);
      return;
    }
    switch (node.type) {
      case 'identifier':
        this.unqualifiedColumn(node as Identifier & CstNode, scope);
        return;
      case 'member_expr':
        this.qualifiedColumn(node, scope);
        return;
      case 'prefix_op_expr': {
        const operator = node.operator as { name?: string };
        const operand = unparenthesize(node.expr as CstNode);
        // Only EXISTS ignores the subquery's column names.
        if (operator?.name === 'EXISTS' && isQuery(operand))
          this.query(operand, scope, false);
        else this.expr(node.expr as CstNode, scope);
        return;
      }
      case 'func_call':
        for (const field of ['args', 'filter', 'over'])
          if (isNode(node[field])) this.expr(node[field] as CstNode, scope);
        return;
      case 'over_arg':
        if (!isIdentifier(node.window))
          this.expr(node.window as CstNode, scope);
        return;
      case 'window_definition':
        // `baseWindowName` names a window, not a column.
        for (const field of ['partitionBy', 'orderBy', 'frame'])
          if (isNode(node[field])) this.expr(node[field] as CstNode, scope);
        return;
      case 'named_arg':
        this.expr(node.value as CstNode, scope);
        return;
      case 'cast_expr':
        this.expr(
          ((node.args as CstNode).expr as CstNode).expr as CstNode,
          scope,
        );
        return;
      case 'cast_operator_expr':
        this.expr(node.left as CstNode, scope);
        return;
      case 'extract_expr':
        this.expr(
          ((node.args as CstNode).expr as CstNode).expr as CstNode,
          scope,
        );
        return;
      case 'all_columns':
      case 'parameter':
      case 'variable':
      case 'empty':
      case 'data_type_name':
        return;
      default:
        if (
          node.type.endsWith('_literal') ||
          node.type.startsWith('sort_direction')
        )
          return;
        if (TRANSPARENT.has(node.type) || node.type.startsWith('frame_')) {
          for (const child of children(node)) this.expr(child, scope);
          return;
        }
        this.unknown(node);
    }
  }

  /** The range variable a qualifier (`t` in `t.col`) names, with its text repointed. */
  qualifier(node: CstNode, scope: QueryScope): RangeVariable | undefined {
    if (isIdentifier(node)) {
      const variable = scope.find(this.catalog(node));
      if (variable?.qualifierRewrite)
        this.replace(node, this.names.write(variable.qualifierRewrite, node));
      return variable;
    }
    if (
      node.type === 'member_expr' &&
      isIdentifier(node.object) &&
      isIdentifier(node.property)
    ) {
      // schema.table.column
      const variable = scope.find(this.catalog(node.property));
      if (variable?.isMigrated && this.matchTable(node, scope) === 'migrated')
        this.renameTable(node);
      return variable?.isMigrated ? variable : undefined;
    }
    this.expr(node, scope);
    return undefined;
  }

  private qualifiedColumn(node: CstNode, scope: QueryScope) {
    const property = node.property as CstNode;
    const variable = this.qualifier(node.object as CstNode, scope);
    if (!variable?.isMigrated || !isIdentifier(property)) return;
    this.renameColumn(property);
  }

  /** Renames an identifier known to name a column of the migrated table. */
  renameColumn(id: Identifier & CstNode) {
    const old = this.catalog(id);
    const to = this.renameOf(old);
    if (!to) return;
    this.replace(id, this.names.write(to, id));
    const declared = this.move.columns.find(c =>
      this.names.same('column', c.from, old),
    );
    this.renamedColumns.set(id, declared?.from ?? old);
  }

  unqualifiedColumn(id: Identifier & CstNode, scope: QueryScope) {
    const name = this.catalog(id);
    const renamed = this.renameOf(name) !== undefined;
    const captures = this.isNewColumnName(name);
    if (!renamed && !captures) return;
    let level: QueryScope | undefined = scope;
    while (level && level.variables.length === 0) level = level.parent;
    if (!level) return;
    const items = level.variables.map(v => v.label ?? '(subquery)').join(', ');
    if (level.hasMigrated()) {
      if (captures)
        this.uncertain(
          `\`${id.text}\` is not a column of \`${this.move.from.table}\` today, but the new table has one by that name: qualify it`,
          id,
        );
      if (level.variables.length > 1)
        this.uncertain(
          `the unqualified column \`${id.text}\` could belong to any of ${items}: qualify it`,
          id,
        );
      this.renameColumn(id);
      return;
    }
    if (level.hasMigratedOutside())
      this.uncertain(
        `\`${id.text}\` could be a column of ${items} or, correlated, of \`${this.move.from.table}\` in an enclosing query: qualify it`,
        id,
      );
  }
}
