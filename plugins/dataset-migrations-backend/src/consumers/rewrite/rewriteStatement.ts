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
import type { QueryScope, RangeVariable } from './QueryScope';
import {
  ReferenceRewriter,
  type TableMove,
  type TextEdit,
} from './ReferenceRewriter';

/** Statements other than plain queries: INSERT, UPDATE, DELETE, CREATE VIEW. */
class WriteStatements {
  constructor(private readonly r: ReferenceRewriter) {}

  statement(node: CstNode, scope: QueryScope) {
    if (isQuery(node)) {
      this.r.query(node, scope, true);
      return;
    }
    switch (node.type) {
      case 'insert_stmt':
        this.insert(node, scope);
        return;
      case 'update_stmt':
        this.update(node, scope);
        return;
      case 'delete_stmt':
        this.delete(node, scope);
        return;
      case 'create_view_stmt':
        this.view(node, scope);
        return;
      default: {
        const named = identifiersUnder(node).find(id =>
          this.r.names.same(
            'table',
            this.r.catalog(id),
            this.r.move.from.table,
          ),
        );
        if (named)
          this.r.uncertain(
            `a ${node.type
              .replace(/_stmt$/, '')
              .replace(/_/g, ' ')} statement names \`${
              named.text
            }\`: the agent rewrites queries, writes and views only`,
            node,
          );
      }
    }
  }

  private clauses(node: CstNode): CstNode[] {
    return node.clauses as CstNode[];
  }

  /** Runs a statement's WITH first: its CTEs are visible to every other clause. */
  private withScope(node: CstNode, scope: QueryScope): QueryScope {
    const withClause = this.clauses(node).find(c => c.type === 'with_clause');
    return withClause ? this.r.withClause(withClause, scope) : scope;
  }

  private target(
    node: CstNode,
    scope: QueryScope,
  ): { variable: RangeVariable; entity: CstNode } {
    let entity = node;
    let alias: Identifier | undefined;
    if (entity.type === 'partitioned_table') entity = entity.table as CstNode;
    if (entity.type === 'alias') {
      alias = entity.alias as Identifier;
      entity = entity.expr as CstNode;
    }
    return { variable: this.r.tableVariable(entity, alias, scope), entity };
  }

  private insert(node: CstNode, parent: QueryScope) {
    const outer = this.withScope(node, parent);
    const scope = outer.child();
    const insertClause = this.clauses(node).find(
      c => c.type === 'insert_clause',
    )!;
    const { variable, entity } = this.target(
      insertClause.table as CstNode,
      scope,
    );
    scope.variables.push(variable);
    if (variable.isMigrated) {
      // ON CONFLICT … DO UPDATE reads the proposed row as `excluded`.
      scope.variables.push({ name: 'excluded', isMigrated: true, label: null });
      this.insertColumns(insertClause, entity);
    }
    for (const clause of this.clauses(node)) {
      switch (clause.type) {
        case 'with_clause':
        case 'insert_clause':
        case 'default_values':
          break;
        case 'values_clause':
          this.r.expr(clause.values as CstNode, outer.child());
          break;
        case 'set_clause':
        case 'on_duplicate_key_update_clause':
          this.assignments(clause.assignments as CstNode, scope, variable);
          break;
        case 'upsert_clause':
          this.upsert(clause, scope, variable);
          break;
        case 'returning_clause':
          this.r.selectList(clause.columns as CstNode, scope, true);
          break;
        case 'row_alias_clause':
          if (variable.isMigrated)
            this.r.uncertain(
              'INSERT … AS row alias on the migrated table',
              clause,
            );
          break;
        default:
          if (isQuery(unparenthesize(clause)))
            this.r.query(unparenthesize(clause), outer, true);
          else this.r.unknown(clause);
      }
    }
  }

  /** The target's column list; without one the values follow the new table's order. */
  private insertColumns(insertClause: CstNode, entity: CstNode) {
    const columns = insertClause.columns as CstNode | undefined;
    if (columns) {
      for (const id of identifiersUnder(columns))
        this.r.renameColumn(id as Identifier & CstNode);
      return;
    }
    const source = this.r.move.sourceColumns;
    if (!source?.length)
      this.r.uncertain(
        'INSERT without a column list depends on the column order of the new table; list the columns',
        insertClause,
      );
    const list = source
      .map(c => this.r.names.write(this.r.renameOf(c) ?? c))
      .join(', ');
    const end = rangeOf(entity)[1];
    this.r.edits.push({ start: end, end, text: ` (${list})` });
  }

  private upsert(clause: CstNode, scope: QueryScope, target: RangeVariable) {
    if (isNode(clause.conflictTarget))
      this.r.expr(clause.conflictTarget, scope);
    if (isNode(clause.where)) this.r.expr(clause.where, scope);
    const action = clause.action as CstNode;
    if (action.type === 'upsert_action_update') {
      this.assignments(
        (action.set as CstNode).assignments as CstNode,
        scope,
        target,
      );
      if (isNode(action.where)) this.r.expr(action.where, scope);
    }
  }

  /**
   * SET assignments. Their unqualified columns belong to the statement's target in
   * PostgreSQL and SQLite; a MySQL multi-table UPDATE resolves them like any column.
   */
  private assignments(
    list: CstNode,
    scope: QueryScope,
    target: RangeVariable | undefined,
  ) {
    for (const assignment of list.items as CstNode[]) {
      const column = assignment.column as CstNode;
      let targets: Identifier[] = [];
      if (isIdentifier(column)) targets = [column];
      else if (column.type === 'paren_expr') targets = identifiersUnder(column);
      for (const id of targets) {
        if (target) {
          if (target.isMigrated)
            this.r.renameColumn(id as Identifier & CstNode);
        } else this.r.unqualifiedColumn(id as Identifier & CstNode, scope);
      }
      if (column.type === 'member_expr') this.r.expr(column, scope);
      this.r.expr(assignment.expr as CstNode, scope);
    }
  }

  private update(node: CstNode, parent: QueryScope) {
    const outer = this.withScope(node, parent);
    const scope = outer.child();
    const clauses = this.clauses(node);
    const updateClause = clauses.find(c => c.type === 'update_clause')!;
    for (const table of (updateClause.tables as CstNode).items as CstNode[])
      this.r.fromItems(table, scope, outer);
    const target = scope.variables[0];
    const from = clauses.find(c => c.type === 'from_clause');
    if (from) this.r.fromItems(from.expr as CstNode, scope, outer);
    const isMultiTable =
      this.r.move.engine === 'mysql' && scope.variables.length > 1;
    for (const clause of clauses) {
      switch (clause.type) {
        case 'with_clause':
        case 'update_clause':
        case 'from_clause':
          break;
        case 'set_clause':
          this.assignments(
            clause.assignments as CstNode,
            scope,
            isMultiTable ? undefined : target,
          );
          break;
        case 'returning_clause':
          this.r.selectList(clause.columns as CstNode, scope, true);
          break;
        case 'where_clause':
        case 'order_by_clause':
        case 'limit_clause':
          this.r.expr(clause, scope);
          break;
        default:
          this.r.unknown(clause);
      }
    }
  }

  private delete(node: CstNode, parent: QueryScope) {
    const outer = this.withScope(node, parent);
    const scope = outer.child();
    const clauses = this.clauses(node);
    const deleteClause = clauses.find(c => c.type === 'delete_clause')!;
    const from = clauses.find(c => c.type === 'from_clause');
    const targets = (deleteClause.tables as CstNode).items as CstNode[];
    if (this.r.move.engine === 'mysql' && from) {
      // MySQL's multi-table DELETE lists the tables to delete from by the names its
      // FROM / USING clause gives them.
      this.r.fromItems(from.expr as CstNode, scope, outer);
      for (const target of targets) this.r.qualifier(target, scope);
    } else {
      for (const target of targets) this.r.fromItems(target, scope, outer);
      if (from) this.r.fromItems(from.expr as CstNode, scope, outer);
    }
    for (const clause of clauses) {
      switch (clause.type) {
        case 'with_clause':
        case 'delete_clause':
        case 'from_clause':
          break;
        case 'returning_clause':
          this.r.selectList(clause.columns as CstNode, scope, true);
          break;
        case 'where_clause':
        case 'order_by_clause':
        case 'limit_clause':
          this.r.expr(clause, scope);
          break;
        default:
          this.r.unknown(clause);
      }
    }
  }

  private view(node: CstNode, scope: QueryScope) {
    if (this.r.matchTable(node.name as CstNode, scope) === 'migrated')
      this.r.uncertain(
        "the statement creates a view with the migrated table's name",
        node,
      );
    for (const clause of this.clauses(node)) {
      if (clause.type === 'as_clause')
        this.r.query(unparenthesize(clause.expr as CstNode), scope, true);
      else this.r.unknown(clause);
    }
  }
}

/**
 * The edits that repoint one parsed statement at the new table. Throws
 * `UncertainRewrite` when a reference cannot be rewritten with certainty.
 */
export function rewriteStatement(
  statement: CstNode,
  move: TableMove,
  source: string,
): TextEdit[] {
  const rewriter = new ReferenceRewriter(move, source);
  refuseDynamicSql(rewriter, statement);
  const writes = new WriteStatements(rewriter);
  rewriter.dataModifying = (node, scope) => writes.statement(node, scope);
  writes.statement(statement, rewriter.rootScope());
  return rewriter.edits;
}

/**
 * SQL held in a string (for EXECUTE, PREPARE, a function that runs it) is invisible to
 * the parser: a literal that reads like SQL naming the table makes the statement
 * unverifiable rather than silently half-rewritten. Other literals that merely contain
 * the name (a label, a comment-like note) are left exactly as they are.
 */
function refuseDynamicSql(rewriter: ReferenceRewriter, node: CstNode) {
  if (node.type === 'string_literal') {
    const value = String(node.value ?? '');
    const table = rewriter.move.from.table.replace(
      /[.*+?^${}()|[\]\\]/g,
      '\\$&',
    );
    const pattern = new RegExp(
      `\\b(from|join|into|update|table)\\s+([\\w"\`\\[\\]]+\\.)?["\`\\[]?${table}\\b`,
      'i',
    );
    if (pattern.test(value))
      rewriter.uncertain(
        `a string literal holds SQL that names \`${rewriter.move.from.table}\` (dynamic SQL); rewrite it by hand`,
        node,
      );
    return;
  }
  for (const child of children(node)) refuseDynamicSql(rewriter, child);
}
