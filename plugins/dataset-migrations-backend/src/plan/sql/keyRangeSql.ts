import type { Dialect, TableName } from '../../dialects/Dialect';
import { sql, SqlTemplate } from './SqlTemplate';

/** Rows per key range of a `copy-pipe` copy: large enough that COPY's start-up cost vanishes. */
export const PIPE_RANGE_ROWS = 50_000;

/**
 * Holes for a key bound (`:after_0`, `:up_to_1`, ... in reviewed SQL). The executor
 * fills them by position with literals of the source's dialect; knex's `?` bindings
 * are not used because a `?` inside a quoted name or a rule's default or computed
 * expression would be taken for one.
 */
export const keyHoles = (bound: 'after' | 'up_to', count: number) =>
  Array.from({ length: count }, (_, i) => SqlTemplate.hole(`${bound}_${i}`));

/** The hole names of a key bound, in key order. */
export const keyHoleNames = (bound: 'after' | 'up_to', count: number) =>
  Array.from({ length: count }, (_, i) => `${bound}_${i}`);

/** How reviewed SQL shows a key bound's holes (`:after_0`, ...). */
export const keyPlaceholders = (bound: 'after' | 'up_to', count: number) =>
  keyHoles(bound, count).map(h => h.text());

/** `(a, b) > (:after_0, :after_1)`, holes kept: a row-value comparison, one index range on every engine. */
export function keyComparisonSql(
  dialect: Dialect,
  key: string[],
  op: '>' | '<=',
  values: Array<string | SqlTemplate>,
): SqlTemplate {
  return sql`(${key
    .map(k => dialect.quote(k))
    .join(', ')}) ${op} (${SqlTemplate.join(values, ', ')})`;
}

/** `keyComparisonSql` with values already written as SQL (literals). */
export function keyComparison(
  dialect: Dialect,
  key: string[],
  op: '>' | '<=',
  values: string[],
): string {
  return keyComparisonSql(dialect, key, op, values).text();
}

/**
 * The source's `COPY (SELECT …) TO STDOUT` of the key range after `after` up to
 * `upTo` (SQL for each key column's bound, or null for an open end).
 */
export function copyOutStatement(
  dialect: Dialect,
  expressions: string[],
  source: TableName,
  key: string[],
  after: string[] | null,
  upTo: string[] | null,
): string {
  const conditions = [
    after && keyComparison(dialect, key, '>', after),
    upTo && keyComparison(dialect, key, '<=', upTo),
  ].filter(Boolean);
  const where = conditions.length
    ? `\nWHERE ${conditions.join('\n  AND ')}`
    : '';
  return `COPY (SELECT ${expressions.join(', ')}\nFROM ${dialect.qualify(
    source,
  )}${where}) TO STDOUT`;
}

/** The target's `COPY … FROM STDIN` in the plan's column order. */
export function copyInStatement(
  dialect: Dialect,
  target: TableName,
  columns: string[],
): string {
  return `COPY ${dialect.qualify(target)} (${columns
    .map(c => dialect.quote(c))
    .join(', ')}) FROM STDIN`;
}
