import type {
  Finding,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { firstRow } from '../../dialects/rawRows';
import { safeErrorMessage } from '../../errors/safeErrorMessage';
import type { Dialect } from '../../dialects/Dialect';

/** A value the expression cannot take (SQLSTATE class 22: data exception). */
function isDataException(e: unknown): boolean {
  const { code, sqlState } = e as { code?: unknown; sqlState?: unknown };
  return [code, sqlState].some(c => typeof c === 'string' && /^22/.test(c));
}

/**
 * Whether reading `column` through its mapping may give NULL or fail on some row. A
 * plain read of a column PostgreSQL keeps NOT NULL can do neither, so counting its
 * NULLs (a pass over the whole table) could only find none. Elsewhere every column is
 * counted: SQLite lets a key column hold NULL whatever it declares, and MySQL/MariaDB
 * answer `IS NULL` true for a zero date in a NOT NULL date column. An expression (a
 * cast, a computed column) may fail or give NULL on a value: always counted.
 */
function mayReadNull(
  dialect: Dialect,
  plan: Pick<Plan, 'source'>,
  column: Plan['columns'][number],
): boolean {
  if (dialect.engine !== 'postgres') return true;
  const source = plan.source.columns?.find(c => c.name === column.source);
  if (!source || source.isNullable) return true;
  return column.sourceExpression !== dialect.quote(source.name);
}

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
  const checked = plan.columns.filter(
    c => c.source !== null && !c.isNullable && mayReadNull(dialect, plan, c),
  );
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
  let result: unknown;
  try {
    result = await knex.raw(`SELECT ${counts.join(', ')} FROM ${table}`);
  } catch (e) {
    if (!isDataException(e)) throw e;
    // The mapping itself fails on some row (a cast that does not fit every value):
    // the copy would fail the same way, so the plan says so instead of erroring.
    return [
      {
        code: 'unreadable-data',
        severity: 'blocking',
        message: `Reading ${
          plan.source.table
        } through the column mapping fails on its data: ${safeErrorMessage(
          e,
        )}. A rule's cast or computed column does not fit every row: cast to a type that holds every value, or fix the rows.`,
      },
    ];
  }
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
