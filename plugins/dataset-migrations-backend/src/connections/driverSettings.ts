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
 * Driver settings that make every engine hand over values as exact text rather than
 * JavaScript objects: a Date would shift timestamps by the process's time zone and a
 * parsed JSON would lose its formatting, and both would break cross-engine checksums.
 * Applied only to dataset connections, never to Backstage's own database.
 */
export function driverSettings(
  client: ConnectionClient,
  connection: string | Record<string, unknown>,
): string | Record<string, unknown> {
  const base =
    typeof connection === 'string'
      ? { connectionString: connection }
      : { ...connection };
  switch (client) {
    case 'pg':
      return { ...base, types: pgTextTypes };
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
