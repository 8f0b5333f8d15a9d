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

/** Expression defaults every engine has a spelling for. */
export type PortableExpression = 'now' | 'today' | 'uuid';

const EXPRESSIONS: Array<[RegExp, PortableExpression]> = [
  [
    /^(now\(\)|current_timestamp(\(\d?\))?|transaction_timestamp\(\)|localtimestamp(\(\d?\))?|datetime\('now'\))$/,
    'now',
  ],
  [/^(current_date(\(\))?|curdate\(\)|date\('now'\))$/, 'today'],
  [/^(gen_random_uuid\(\)|uuid_generate_v4\(\)|uuid\(\))$/, 'uuid'],
];

/**
 * Which portable expression a source default is (`now()`, `CURRENT_TIMESTAMP`,
 * `current_timestamp(6)`, `datetime('now')`: `now`; `gen_random_uuid()`, `uuid()`:
 * `uuid`), or undefined for any other default.
 */
export function portableExpression(
  raw: string | null,
): PortableExpression | undefined {
  if (raw === null) return undefined;
  let text = raw.trim().toLowerCase();
  while (text.startsWith('(') && text.endsWith(')'))
    text = text.slice(1, -1).trim();
  // PostgreSQL spells some with a cast: `CURRENT_TIMESTAMP::timestamp(0) without time zone`.
  text = text.replace(/::[a-z ]+(\(\d+\))?[a-z ]*$/, '').replace(/\s+/g, '');
  return EXPRESSIONS.find(([pattern]) => pattern.test(text))?.[1];
}

/**
 * The target engine's spelling of a portable expression default for a column of the
 * given logical kind, or undefined when the engine has none (SQLite has no uuid
 * function) or the kind cannot take it.
 */
export function renderPortableExpression(
  expression: PortableExpression,
  engine: 'sqlite' | 'postgres' | 'mysql',
  kind: string,
): string | undefined {
  const isText = ['char', 'varchar', 'text'].includes(kind);
  switch (expression) {
    case 'now':
      if (kind === 'date')
        return renderPortableExpression('today', engine, kind);
      if (kind !== 'timestamp' && kind !== 'timestamptz') return undefined;
      // DATETIME(6) takes only a default of its own precision.
      return engine === 'mysql' ? 'CURRENT_TIMESTAMP(6)' : 'CURRENT_TIMESTAMP';
    case 'today':
      if (kind !== 'date') return undefined;
      return engine === 'mysql' ? '(CURRENT_DATE)' : 'CURRENT_DATE';
    case 'uuid':
      if (kind !== 'uuid' && !isText) return undefined;
      if (engine === 'postgres')
        return kind === 'uuid'
          ? 'gen_random_uuid()'
          : 'gen_random_uuid()::text';
      if (engine === 'mysql') return '(uuid())';
      return undefined;
    default:
      return undefined;
  }
}
