import type {
  Finding,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { firstRow } from '../../connections/rawRows';
import type { Dialect } from '../dialects/Dialect';

/**
 * Checks the data against the target's NOT NULL columns: a column the source declares
 * nullable (or a SQLite key column, which can hold NULL) that really holds NULLs would
 * fail the copy. One pass over the source counts them all.
 */
export async function findNullViolations(
  knex: Knex,
  dialect: Dialect,
  plan: Pick<Plan, 'source' | 'columns'>,
): Promise<Finding[]> {
  const checked = plan.columns.filter(c => c.source !== null && !c.isNullable);
  if (checked.length === 0) return [];
  const counts = checked.map(
    (c, i) =>
      `SUM(CASE WHEN ${
        c.sourceExpression
      } IS NULL THEN 1 ELSE 0 END) AS ${dialect.quote(`v${i}`)}`,
  );
  const table = dialect.qualify({
    schema: plan.source.schema,
    table: plan.source.table,
  });
  const result = await knex.raw(`SELECT ${counts.join(', ')} FROM ${table}`);
  const row = firstRow(result);
  const findings: Finding[] = [];
  checked.forEach((c, i) => {
    const nulls = Number(row?.[`v${i}`] ?? 0);
    if (nulls > 0) {
      findings.push({
        code: 'not-null-violation',
        severity: 'blocking',
        column: c.source!,
        message: `${c.target} is NOT NULL in the target, but ${nulls} row(s) of ${plan.source.table}.${c.source} hold NULL. Add a rule with a default for ${c.source}, or fix the rows.`,
      });
    }
  });
  return findings;
}
