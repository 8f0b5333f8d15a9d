import { types as pgTypes } from 'pg';
import type { ConnectionClient } from '@internal/backstage-plugin-dataset-migrations-common';

// OIDs of date, time, timestamp, timestamptz, timetz, json and jsonb.
const PG_AS_TEXT = new Set([1082, 1083, 1114, 1184, 1266, 114, 3802]);

/** node-pg parsers that keep dates and JSON as the text the server sent. */
const pgTextTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    PG_AS_TEXT.has(oid)
      ? (value: string) => value
      : pgTypes.getTypeParser(oid, format as 'text'),
};

/**
 * Every PostgreSQL session reads the literal 'a\b' as the three characters it holds:
 * generated SQL writes values as standard literals, and a server or database set to
 * standard_conforming_strings = off would take the backslash for an escape.
 */
const PG_SESSION_OPTIONS = '-c standard_conforming_strings=on';

const withPgOptions = (options: unknown) =>
  typeof options === 'string' && options.trim()
    ? `${options} ${PG_SESSION_OPTIONS}`
    : PG_SESSION_OPTIONS;

/**
 * A connection string's own `options` parameter would replace ours (node-pg lets the
 * string win): put ours into it.
 */
function pgConnectionString(connection: string): Record<string, unknown> {
  try {
    const url = new URL(connection);
    if (url.searchParams.has('options')) {
      url.searchParams.set(
        'options',
        withPgOptions(url.searchParams.get('options')),
      );
      return { connectionString: url.toString() };
    }
  } catch {
    // Not a URL (a socket path): node-pg reads no options from it.
  }
  return { connectionString: connection, options: PG_SESSION_OPTIONS };
}

/**
 * Driver settings that make every engine hand over values as exact text rather than
 * JavaScript objects: a Date would shift timestamps by the process's time zone and a
 * parsed JSON would lose its formatting, and both would break cross-engine checksums.
 * Applied only to dataset connections, never to Backstage's own database.
 */
export function driverSettings(
  client: ConnectionClient,
  connection: string | Record<string, unknown>,
): string | Record<string, unknown> {
  switch (client) {
    case 'pg':
      return typeof connection === 'string'
        ? { ...pgConnectionString(connection), types: pgTextTypes }
        : {
            ...connection,
            options: withPgOptions(connection.options),
            types: pgTextTypes,
          };
    case 'mysql2':
      return typeof connection === 'string'
        ? {
            uri: connection,
            dateStrings: true,
            supportBigNumbers: true,
            bigNumberStrings: true,
            charset: 'utf8mb4',
          }
        : {
            ...connection,
            dateStrings: true,
            supportBigNumbers: true,
            bigNumberStrings: true,
            charset: 'utf8mb4',
          };
    default:
      return connection;
  }
}
