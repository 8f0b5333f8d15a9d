import type { Engine } from '@internal/backstage-plugin-dataset-migrations-common';
import type { LogicalType } from '../dialects/LogicalType';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function utcDateTime(date: Date): string {
  const ms = date.getUTCMilliseconds();
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(
    date.getUTCDate(),
  )} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(
    date.getUTCSeconds(),
  )}${ms ? `.${pad(ms, 3)}` : ''}`;
}

/**
 * A timestamp's time of day and its zone: Z, or an offset as ±HH:MM, ±HHMM or ±HH
 * (PostgreSQL prints whole-hour offsets as +00 or -07, which Date cannot parse).
 */
const ZONED =
  /(\d{2}:\d{2}(?::\d{2})?)(\.\d+)?\s*(?:(Z)|([+-])(\d{2}):?(\d{2})?)$/i;

/**
 * Whether a zone may follow the time (a Z, or a sign after the first colon): most
 * values, such as MySQL's DATETIME text, have none, and skip the regex, a fair share
 * of a streamed copy's time.
 */
function mayHaveZone(value: string): boolean {
  const colon = value.indexOf(':');
  return (
    colon >= 0 &&
    (value.includes('Z') ||
      value.includes('z') ||
      value.includes('+', colon) ||
      value.includes('-', colon))
  );
}

function toTimestampText(value: unknown): unknown {
  if (value instanceof Date) return utcDateTime(value);
  if (typeof value === 'string') {
    // An offset means an instant: store it as UTC wall time on engines without zones.
    const zoned = mayHaveZone(value) ? ZONED.exec(value) : null;
    if (zoned) {
      const [, time, fraction = '', isUtc, sign, hours, minutes = '00'] = zoned;
      const zone = isUtc ? 'Z' : `${sign}${hours}:${minutes}`;
      const date = value.slice(0, zoned.index).trim().replace(/T$/i, '');
      // Whole seconds through Date; the fraction as written (Date keeps only ms).
      const seconds = utcDateTime(new Date(`${date}T${time}${zone}`));
      return `${seconds}${fraction}`;
    }
    return value.replace('T', ' ');
  }
  return value;
}

function truthy(value: unknown): boolean {
  if (typeof value === 'string')
    return !['0', 'f', 'false', ''].includes(value.toLowerCase());
  return Boolean(typeof value === 'bigint' ? Number(value) : value);
}

/**
 * Converts a value read by one driver into what another engine's driver writes as the
 * same value, for streamed copies between engines: booleans as 0/1 or true/false,
 * dates and timestamps as text without time-zone surprises, JSON as its text.
 */
export function valueConverter(
  engine: Engine,
  type: LogicalType,
): (value: unknown) => unknown {
  const nullSafe = (convert: (value: unknown) => unknown) => (value: unknown) =>
    value === null || value === undefined ? null : convert(value);
  switch (type.kind) {
    case 'boolean':
      return nullSafe(v => {
        if (engine === 'postgres') return truthy(v);
        return truthy(v) ? 1 : 0;
      });
    case 'smallint':
    case 'integer':
    case 'bigint':
      return nullSafe(v => (typeof v === 'boolean' ? Number(v) : v));
    case 'date':
      return nullSafe(v => {
        if (v instanceof Date) return utcDateTime(v).slice(0, 10);
        return typeof v === 'string' ? v.slice(0, 10) : v;
      });
    case 'timestamp':
      return nullSafe(toTimestampText);
    case 'timestamptz':
      return nullSafe(v =>
        engine === 'postgres' && typeof v === 'string' ? v : toTimestampText(v),
      );
    case 'json':
      return nullSafe(v => (typeof v === 'string' ? v : JSON.stringify(v)));
    case 'char':
    case 'varchar':
    case 'text':
    case 'uuid':
      return nullSafe(v => {
        if (Buffer.isBuffer(v)) return v.toString('utf8');
        return typeof v === 'object' ? JSON.stringify(v) : String(v);
      });
    default:
      return nullSafe(v => v);
  }
}
