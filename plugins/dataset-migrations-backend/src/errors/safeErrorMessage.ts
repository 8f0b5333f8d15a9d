/** The longest message `safeErrorMessage` returns, in characters. */
export const SAFE_ERROR_MESSAGE_MAX_LENGTH = 400;

/**
 * Where a knex query error keeps the driver's own message, before knex prefixed it with
 * the SQL (which may inline key values). Set by `recordDriverMessage`.
 */
const DRIVER_MESSAGE = Symbol.for('dataset-migrations.driverMessage');

const REDACTED = '…';

/**
 * Words after which a quoted token is an object's name (kept), not a value (dropped):
 * PostgreSQL writes `constraint "items_pkey"`, `column "id" of relation "items"`;
 * MariaDB `for key 'PRIMARY'`, `column 'c'`, `Table 'db.t'`, `in 'field list'`.
 */
const NAME_WORDS = new Set([
  'constraint',
  'relation',
  'column',
  'table',
  'index',
  'schema',
  'database',
  'type',
  'function',
  'procedure',
  'view',
  'sequence',
  'extension',
  'server',
  'trigger',
  'key',
  'field',
  'in',
  'on',
  'of',
  'role',
  'user',
  'operator',
  'collation',
  'domain',
  'enum',
  'partition',
]);

// A URI with a scheme (postgres://, mysql://, jdbc:…//): may hold a user and password.
const URI = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"`]*/gi;
// libpq/ODBC key=value settings that carry a secret.
const SECRET_SETTING =
  /\b(password|passwd|pwd|secret|token)\s*[=:]\s*(?!YES\b|NO\b)("[^"]*"|'[^']*'|[^\s;,)]+)/gi;
// PostgreSQL's DETAIL text: `Key (id)=(secret) already exists`, `Failing row contains (…)`.
const KEY_VALUES = /(\([^()]*\))=\((?:[^()]|\([^()]*\))*\)/g;
const FAILING_ROW = /\b(Failing row contains)\s*\(.*$/gi;
// A quoted token: '…', "…" (either may double its quote to escape it).
const QUOTED = /'(?:[^']|'')*'|"(?:[^"]|"")*"/g;

function stringProperty(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string | symbol, unknown>)[key];
  if (typeof field === 'string' && field) return field;
  if (typeof field === 'number') return String(field);
  return undefined;
}

/**
 * Remembers a knex query error's own driver message (knex prefixes the SQL to
 * `error.message`); the ConnectionRegistry calls it from knex's `query-error` event.
 */
export function recordDriverMessage(
  error: unknown,
  query: { sql?: unknown },
): void {
  if (!(error instanceof Error) || typeof query?.sql !== 'string') return;
  const prefix = `${query.sql} - `;
  if (!error.message.startsWith(prefix)) return;
  Object.defineProperty(error, DRIVER_MESSAGE, {
    value: error.message.slice(prefix.length),
    enumerable: false,
    configurable: true,
  });
}

/** The driver's own text of an error: without the SQL knex put in front of it. */
function driverText(error: unknown): string {
  if (!(error instanceof Error)) {
    return typeof error === 'string' ? error : 'unknown error';
  }
  const recorded = (error as unknown as Record<symbol, unknown>)[
    DRIVER_MESSAGE
  ];
  if (typeof recorded === 'string') return recorded;
  // mysql2 keeps the server's message apart from knex's prefixed one.
  const sqlMessage = stringProperty(error, 'sqlMessage');
  if (sqlMessage) return sqlMessage;
  const message = error.message ?? '';
  // Another knex's error: `<sql> - <driver message>`; the SQL may inline values.
  const driverCode = stringProperty(error, 'code');
  if (driverCode && message.includes(' - ')) {
    return message.slice(message.lastIndexOf(' - ') + 3);
  }
  return message;
}

function redactQuoted(text: string): string {
  return text.replace(QUOTED, (token, offset: number) => {
    const before = text.slice(0, offset).trimEnd();
    const word = /([A-Za-z_]+)$/.exec(before)?.[1]?.toLowerCase();
    // A name is short and follows a naming word; a value after `:` or anything else goes.
    if (word && NAME_WORDS.has(word) && token.length <= 130) return token;
    return `${token[0]}${REDACTED}${token[0]}`;
  });
}

/**
 * An error's text safe to put into an API answer, an event, a step or a plan: the
 * driver's code, the names of the constraint, table and column and the kind of failure
 * stay; quoted values, PostgreSQL DETAIL/row contents, the SQL knex prefixed (it may
 * inline key values), connection URIs and passwords go; at most
 * `SAFE_ERROR_MESSAGE_MAX_LENGTH` characters.
 */
export function safeErrorMessage(error: unknown): string {
  let text = driverText(error)
    .split(/\r?\n/)[0]
    .replace(/\bDETAIL:.*$/s, '');
  text = text
    .replace(URI, '<connection string>')
    .replace(SECRET_SETTING, (_m, key: string) => `${key}=${REDACTED}`)
    .replace(FAILING_ROW, `$1 (${REDACTED})`)
    .replace(KEY_VALUES, `$1=(${REDACTED})`);
  text = redactQuoted(text).trim() || 'unknown error';

  const names: string[] = [];
  const code = stringProperty(error, 'code');
  if (code && !text.includes(code)) names.push(`code ${code}`);
  for (const field of ['constraint', 'table', 'column'] as const) {
    const name = stringProperty(error, field);
    if (name && name.length <= 130 && !text.includes(name)) {
      names.push(`${field} ${name}`);
    }
  }
  const message = names.length > 0 ? `${text} (${names.join(', ')})` : text;
  return message.length > SAFE_ERROR_MESSAGE_MAX_LENGTH
    ? `${message.slice(0, SAFE_ERROR_MESSAGE_MAX_LENGTH - 1)}${REDACTED}`
    : message;
}
