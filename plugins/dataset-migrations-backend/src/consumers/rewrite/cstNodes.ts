import type { Identifier } from 'sql-parser-cst';

/**
 * A node of sql-parser-cst's tree seen loosely: the rewriter walks many node kinds
 * generically (through their child fields), which the library's precise unions make
 * awkward to express.
 */
export type CstNode = {
  type: string;
  range?: [number, number];
  [field: string]: unknown;
};

export function isNode(value: unknown): value is CstNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as CstNode).type === 'string'
  );
}

export function isIdentifier(node: unknown): node is Identifier & CstNode {
  return isNode(node) && node.type === 'identifier';
}

/** The child nodes of a node, in field order (arrays flattened). */
export function children(node: CstNode): CstNode[] {
  const found: CstNode[] = [];
  for (const [field, value] of Object.entries(node)) {
    if (field === 'range') continue;
    for (const item of Array.isArray(value) ? value : [value])
      if (isNode(item) && item.type !== 'keyword') found.push(item);
  }
  return found;
}

/** Every identifier under a node. */
export function identifiersUnder(node: CstNode): Identifier[] {
  if (isIdentifier(node)) return [node];
  return children(node).flatMap(identifiersUnder);
}

export function rangeOf(node: CstNode): [number, number] {
  if (!node.range)
    throw new Error(`sql-parser-cst gave no range for a ${node.type} node`);
  return node.range;
}

/** Removes redundant parentheses around an expression. */
export function unparenthesize(node: CstNode): CstNode {
  let current = node;
  while (current.type === 'paren_expr' && isNode(current.expr))
    current = current.expr;
  return current;
}

export function isQuery(node: unknown): boolean {
  return (
    isNode(node) &&
    (node.type === 'select_stmt' || node.type === 'compound_select_stmt')
  );
}
