/**
 * Keeps a source default only when it is a plain literal every engine reads the same
 * way (a number, a quoted string, a boolean). Engine expressions (`nextval(...)`,
 * `CURRENT_TIMESTAMP`, `'x'::character varying` casts aside) are not carried over:
 * the copy moves the values, and an expression default would mean different things
 * on another engine.
 */
export function portableDefault(
  raw: string | null,
): string | number | boolean | null {
  if (raw === null) return null;
  let text = raw.trim();
  // PostgreSQL reports `'open'::character varying`; MariaDB wraps numbers in nothing
  // and strings in quotes; SQLite reports the declared text.
  text = text.replace(/::[a-z ]+(\(\d+(,\d+)?\))?$/i, '');
  while (text.startsWith('(') && text.endsWith(')'))
    text = text.slice(1, -1).trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^'(?:[^']|'')*'$/.test(text))
    return text.slice(1, -1).replace(/''/g, "'");
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  return null;
}

/** Reads a carried default as the target's type: MySQL's boolean default 0 becomes false. */
export function coerceDefault(
  value: string | number | boolean,
  kind: string,
): string | number | boolean {
  if (kind === 'boolean') {
    if (typeof value === 'string')
      return !['0', 'f', 'false', ''].includes(value.toLowerCase());
    return Boolean(value);
  }
  if (
    ['smallint', 'integer', 'bigint', 'decimal', 'double'].includes(kind) &&
    typeof value !== 'number'
  ) {
    const n = Number(value);
    return Number.isFinite(n) ? n : value;
  }
  return value;
}
