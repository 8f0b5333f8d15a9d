import type { Knex } from 'knex';

/** A node of PostgreSQL's `EXPLAIN (ANALYZE, FORMAT JSON)`, as far as tests read it. */
export type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
};

/** Every node of a plan, the root first. */
export function* nodesOf(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* nodesOf(child);
}

/**
 * How PostgreSQL runs a statement knex sent (its `$n` placeholders bound again with the
 * same values): the root of `EXPLAIN (ANALYZE, FORMAT JSON)`.
 */
export async function explainedPlan(
  knex: Knex,
  statement: { sql: string; bindings: unknown[] },
): Promise<PlanNode> {
  const explained = await knex.raw(
    `EXPLAIN (ANALYZE, FORMAT JSON) ${statement.sql.replace(/\$\d+/g, '?')}`,
    statement.bindings as any[],
  );
  return explained.rows[0]['QUERY PLAN'][0].Plan;
}
