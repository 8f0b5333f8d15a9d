/**
 * How parity compares rows: values the engines and drivers return differently for the
 * same data are brought to one form first. PostgreSQL's bigint and numeric and MySQL's
 * DECIMAL come back as strings, SQLite's as numbers; booleans are 1/0 outside
 * PostgreSQL; timestamps are Dates from pg and mysql2 and strings from SQLite.
 */
export type ParityRow = Record<string, unknown>;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATETIME =
  /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)(Z|[+-]\d{2}(:?\d{2})?)?$/;

/** One value in a form that is equal exactly when the values mean the same. */
export function normalizeValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number' || typeof value === 'bigint')
    return canonicalNumber(String(value));
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? 'invalid date' : value.toISOString();
  if (Buffer.isBuffer(value)) return `x'${value.toString('hex')}'`;
  if (typeof value === 'string') {
    if (NUMBER.test(value)) return canonicalNumber(value);
    const datetime = DATETIME.exec(value);
    if (datetime) {
      // A timestamp without a zone is read as UTC on both sides alike.
      const parsed = new Date(
        `${datetime[1]}T${datetime[2]}${datetime[5] ?? 'Z'}`,
      );
      if (!Number.isNaN(parsed.getTime())) return parsed.toISOString();
    }
    return value;
  }
  return stableJson(value);
}

/** Digits without leading zeros, a fraction without trailing zeros. */
function canonicalNumber(text: string): string {
  if (/[eE]/.test(text)) return String(Number(text));
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace(/^[+-]/, '').split('.');
  const digits = whole.replace(/^0+(?=\d)/, '') || '0';
  const decimals = fraction.replace(/0+$/, '');
  const body = decimals ? `${digits}.${decimals}` : digits;
  return negative && body !== '0' ? `-${body}` : body;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map(
        k =>
          `${JSON.stringify(k)}:${stableJson(
            (value as Record<string, unknown>)[k],
          )}`,
      )
      .join(',')}}`;
  return JSON.stringify(normalizeValue(value));
}

function rowKey(row: ParityRow): string {
  return JSON.stringify(
    Object.entries(row).map(([k, v]) => [k, normalizeValue(v)]),
  );
}

/** A row as evidence: JSON-safe, values as the old side returned them. */
export function evidenceRow(row: ParityRow): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k,
      v instanceof Date || Buffer.isBuffer(v) || typeof v === 'bigint'
        ? normalizeValue(v)
        : v,
    ]),
  );
}

export type RowComparison =
  | { matches: true; sample: Array<Record<string, unknown>> }
  | { matches: false; reason: string };

/**
 * Compares two results: as multisets (each distinct row as many times on both sides),
 * or row by row when the statement orders its result. Column names are compared too:
 * the consumer's code reads the result by them.
 */
export function compareRows(
  oldRows: ParityRow[],
  newRows: ParityRow[],
  isOrdered: boolean,
): RowComparison {
  const oldColumns = Object.keys(oldRows[0] ?? {});
  const newColumns = Object.keys(newRows[0] ?? {});
  if (
    oldRows.length &&
    newRows.length &&
    oldColumns.join('\0') !== newColumns.join('\0')
  )
    return {
      matches: false,
      reason: `the result's columns differ: old (${oldColumns.join(
        ', ',
      )}), new (${newColumns.join(', ')})`,
    };
  if (oldRows.length !== newRows.length)
    return {
      matches: false,
      reason: `the old side returned ${oldRows.length} rows, the new side ${newRows.length}`,
    };
  if (isOrdered) {
    for (let i = 0; i < oldRows.length; i++)
      if (rowKey(oldRows[i]) !== rowKey(newRows[i]))
        return {
          matches: false,
          reason: `row ${i + 1} differs: old ${JSON.stringify(
            evidenceRow(oldRows[i]),
          )}, new ${JSON.stringify(evidenceRow(newRows[i]))}`,
        };
  } else {
    const counts = new Map<string, number>();
    for (const row of oldRows) {
      const key = rowKey(row);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const onlyNew: ParityRow[] = [];
    for (const row of newRows) {
      const key = rowKey(row);
      const left = counts.get(key) ?? 0;
      if (left > 0) counts.set(key, left - 1);
      else onlyNew.push(row);
    }
    if (onlyNew.length) {
      const onlyOld = oldRows.find(r => (counts.get(rowKey(r)) ?? 0) > 0);
      return {
        matches: false,
        reason: `${onlyNew.length} rows differ, e.g. old ${JSON.stringify(
          onlyOld ? evidenceRow(onlyOld) : null,
        )}, new ${JSON.stringify(evidenceRow(onlyNew[0]))}`,
      };
    }
  }
  return { matches: true, sample: oldRows.slice(0, 5).map(evidenceRow) };
}
