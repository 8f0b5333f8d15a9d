import type { Dialect } from '../../dialects/Dialect';
import type { LogicalType } from '../../dialects/LogicalType';
import type { KeyPart } from '../../dialects/rowChecksum';

/**
 * One query returning the row count and, per column, the non-null count (`n<i>`) and
 * the cross-engine checksum (`s<i>`), each value bound to its row's `key` (the copy
 * key's columns; without one, all columns: the row itself). Aliases are positional so
 * no column name has to survive as an alias; `from` is a quoted table or a
 * parenthesised, aliased subquery.
 */
export function validationQuery(
  dialect: Dialect,
  from: string,
  columns: KeyPart[],
  options: {
    /** Both sides are `dialect`'s engine: its own faster hashes may be used. */
    isSameEngine?: boolean;
    key?: KeyPart[];
  } = {},
): string {
  const hashOptions = { isSameEngine: options.isSameEngine };
  const keyText = dialect.keyText(
    options.key?.length ? options.key : columns,
    hashOptions,
  );
  const parts = [`COUNT(*) AS ${dialect.quote('row_count')}`];
  columns.forEach((column, i) => {
    parts.push(`COUNT(${column.expression}) AS ${dialect.quote(`n${i}`)}`);
    parts.push(
      `${dialect.boundChecksum(
        column.expression,
        column.type,
        keyText,
        hashOptions,
      )} AS ${dialect.quote(`s${i}`)}`,
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

const INTEGER = /^-?\d+(\.0*)?$/;

function isWhole(value: unknown): boolean {
  if (typeof value === 'bigint') return true;
  if (typeof value === 'number') return Number.isSafeInteger(value);
  return INTEGER.test(String(value));
}

/**
 * Adds (`sign` 1) and subtracts (`sign` -1) validation rows as drivers return them, so
 * one side's result can be rebuilt from parts (the whole table, minus some keys, plus
 * the same keys read elsewhere). Integer counts and checksums are added exactly (they
 * pass 2^53 on large tables, where adding rounded numbers would invent differences);
 * a column with any fractional part (doubles) is added as numbers.
 */
export function sumValidation(
  terms: Array<{ row: Record<string, unknown>; sign: 1 | -1 }>,
): ValidationResult {
  const values = new Map<string, Array<{ value: unknown; sign: 1 | -1 }>>();
  for (const { row, sign } of terms) {
    for (const [key, value] of Object.entries(row)) {
      const name = key.toLowerCase();
      const list = values.get(name) ?? [];
      list.push({ value, sign });
      values.set(name, list);
    }
  }
  const out: ValidationResult = {};
  for (const [name, parts] of values) {
    const present = parts.filter(
      p => p.value !== null && p.value !== undefined,
    );
    if (present.length === 0) {
      out[name] = null;
    } else if (present.every(p => isWhole(p.value))) {
      let total = 0n;
      for (const p of present) {
        const whole =
          typeof p.value === 'bigint'
            ? p.value
            : BigInt(String(p.value).replace(/\.0*$/, ''));
        total += p.sign === 1 ? whole : -whole;
      }
      out[name] = Number(total);
    } else {
      out[name] = present.reduce((t, p) => t + p.sign * Number(p.value), 0);
    }
  }
  return out;
}
