import type { Dialect } from '../../dialects/Dialect';
import type { LogicalType } from '../../dialects/LogicalType';
import type { KeyPart } from '../../dialects/rowChecksum';

/**
 * One query returning the row count, per column the non-null count (`n<i>`), the sum of
 * one hash per row over its non-double values (`row_checksum`, see
 * `Dialect.rowChecksum`) and per double column its sum weighted by its row's `key`
 * (`s<i>`, see `Dialect.keyWeightedSum`; the copy key's columns, without one all
 * columns). Aliases are positional so no column name has to survive as an alias;
 * `from` is a quoted table or a parenthesised, aliased subquery. (Plans made before
 * store `s<i>` for every column, each value hashed with its key: `compareValidation`
 * reads both.)
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
  const parts = [`COUNT(*) AS ${dialect.quote('row_count')}`];
  columns.forEach((column, i) => {
    parts.push(`COUNT(${column.expression}) AS ${dialect.quote(`n${i}`)}`);
  });
  parts.push(
    `${dialect.rowChecksum(columns, hashOptions)} AS ${dialect.quote(
      'row_checksum',
    )}`,
  );
  const key = options.key?.length ? options.key : columns;
  columns.forEach((column, i) => {
    if (column.type.kind !== 'double') return;
    parts.push(
      `${dialect.keyWeightedSum(
        column.expression,
        key,
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
 * Whether two checksums (or canonical values) of a column of `kind` differ: doubles
 * within a relative 1e-9 are alike, since engines add binary floats in different orders.
 */
export function differsBeyondTolerance(
  kind: LogicalType['kind'],
  a: number,
  b: number,
): boolean {
  const tolerance =
    kind === 'double' ? Math.max(Math.abs(a), Math.abs(b)) * 1e-9 : 0;
  return Math.abs(a - b) > tolerance;
}

/**
 * Compares two sides; doubles get a relative tolerance because engines add binary
 * floats in different orders. Returns one sentence per difference. Reads both shapes:
 * `row_checksum` with `s<i>` for doubles only, and older plans' `s<i>` for every column.
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
    if (!(s in source) && !(s in target)) return;
    const a = source[s] ?? 0;
    const b = target[s] ?? 0;
    if (differsBeyondTolerance(column.type.kind, a, b)) {
      differences.push(
        `column ${column.name}: checksum ${a} in the source, ${b} in the target`,
      );
    }
  });
  if ('row_checksum' in source || 'row_checksum' in target) {
    const a = source.row_checksum ?? 0;
    const b = target.row_checksum ?? 0;
    if (a !== b)
      differences.push(
        `rows' checksum: ${a} in the source, ${b} in the target (values differ in some row)`,
      );
  }
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
