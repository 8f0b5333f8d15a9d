import type { Dialect } from '../dialects/Dialect';
import type { LogicalType } from '../dialects/LogicalType';

/**
 * One query returning the row count and, per column, the non-null count (`n<i>`) and
 * the cross-engine checksum (`s<i>`). Aliases are positional so no column name has to
 * survive as an alias; `from` is a quoted table or a parenthesised, aliased subquery.
 */
export function validationQuery(
  dialect: Dialect,
  from: string,
  columns: Array<{ expression: string; type: LogicalType }>,
): string {
  const parts = [`COUNT(*) AS ${dialect.quote('row_count')}`];
  columns.forEach((column, i) => {
    parts.push(`COUNT(${column.expression}) AS ${dialect.quote(`n${i}`)}`);
    parts.push(
      `${dialect.checksum(column.expression, column.type)} AS ${dialect.quote(
        `s${i}`,
      )}`,
    );
  });
  return `SELECT ${parts.join(',\n       ')}\nFROM ${from}`;
}

/** The validation result of one side: counts and checksums as numbers. */
export type ValidationResult = Record<string, number | null>;

/** Normalises a driver's row (strings from numeric/bigint, null sums) into numbers. */
export function readValidationRow(
  row: Record<string, unknown>,
): ValidationResult {
  const out: ValidationResult = {};
  for (const [key, value] of Object.entries(row)) {
    out[key.toLowerCase()] =
      value === null || value === undefined ? null : Number(value);
  }
  return out;
}

/**
 * Compares two sides; doubles get a relative tolerance because engines add binary
 * floats in different orders. Returns one sentence per difference.
 */
export function compareValidation(
  source: ValidationResult,
  target: ValidationResult,
  columns: Array<{ name: string; type: LogicalType }>,
): string[] {
  const differences: string[] = [];
  if (source.row_count !== target.row_count) {
    differences.push(
      `row count: source ${source.row_count}, target ${target.row_count}`,
    );
  }
  columns.forEach((column, i) => {
    const n = `n${i}`;
    const s = `s${i}`;
    if (source[n] !== target[n]) {
      differences.push(
        `column ${column.name}: ${source[n]} non-null values in the source, ${target[n]} in the target`,
      );
    }
    const a = source[s] ?? 0;
    const b = target[s] ?? 0;
    const tolerance =
      column.type.kind === 'double'
        ? Math.max(Math.abs(a), Math.abs(b)) * 1e-9
        : 0;
    if (Math.abs(a - b) > tolerance) {
      differences.push(
        `column ${column.name}: checksum ${a} in the source, ${b} in the target`,
      );
    }
  });
  return differences;
}
