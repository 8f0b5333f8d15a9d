import { boundedName } from './names';
import type { TableName } from './Dialect';
import { postgresDialect } from './postgres';

/**
 * The SQL of a compatibility view across PostgreSQL databases: a `postgres_fdw` foreign
 * server per target connection (`dm_fdw_<target>`, shared by every migration from one
 * source database to that target), a user mapping for the source connection's user, a
 * foreign table over the new table next to the source (`<table>__dm_foreign`), and the
 * view at the old name over the foreign table.
 */

const { quote, qualify, literal } = postgresDialect;

/** The app-config key that enables a pair; findings and errors name it. */
export const POSTGRES_FDW_CONFIG_KEY =
  'datasetMigrations.compatibility.postgresFdw';

/** The foreign server through which a source database reads the target connection. */
export const foreignServerName = (targetConnection: string) =>
  boundedName(`dm_fdw_${targetConnection}`, '');

/** Where cutover puts the foreign table over the new table: next to the source. */
export const foreignTableName = (table: string) =>
  boundedName(table, '__dm_foreign');

const FROM_CONFIG = `'<from app-config>'`;

/**
 * How plans show the foreign server and user mapping: by name, with the options
 * redacted. The cutover step recognises exactly these statements and runs
 * `foreignServerStatements` with the configured values in their place, so no address
 * or credential is ever part of a plan (plans are sent to the browser).
 */
export function foreignServerPreview(server: string): string[] {
  return [
    'CREATE EXTENSION IF NOT EXISTS postgres_fdw',
    `-- At cutover, created (or its options brought up to date) from ${POSTGRES_FDW_CONFIG_KEY} and the target connection\nCREATE SERVER IF NOT EXISTS ${quote(
      server,
    )} FOREIGN DATA WRAPPER postgres_fdw\n  OPTIONS (host ${FROM_CONFIG}, port ${FROM_CONFIG}, dbname ${FROM_CONFIG})`,
    `-- At cutover, replaced with the configured user and password\nCREATE USER MAPPING IF NOT EXISTS FOR CURRENT_USER SERVER ${quote(
      server,
    )}\n  OPTIONS (user ${FROM_CONFIG}, password '<redacted>')`,
  ];
}

type Options = Record<string, string | undefined>;

/** `OPTIONS (...)`; with `existing`, each option is SET when present and ADDed when not. */
function optionsClause(options: Options, existing?: Set<string>): string {
  const items = Object.entries(options)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => {
      let action = '';
      if (existing) action = existing.has(key) ? 'SET ' : 'ADD ';
      return `${action}${quote(key)} ${literal(value)}`;
    });
  return items.length ? ` OPTIONS (${items.join(', ')})` : '';
}

/**
 * The real statements behind `foreignServerPreview`, every name quoted and every value
 * a literal: create the server, or (when it exists, with `existingOptions` its option
 * names) bring the options this plugin manages up to date without touching others an
 * admin added (sslmode, ...); then replace the current user's mapping, which nothing
 * depends on.
 */
export function foreignServerStatements(
  server: string,
  options: {
    server: Options;
    userMapping: Options;
  },
  existingOptions: string[] | undefined,
): string[] {
  const statements: string[] = [];
  if (existingOptions === undefined) {
    statements.push(
      `CREATE SERVER ${quote(
        server,
      )} FOREIGN DATA WRAPPER postgres_fdw${optionsClause(options.server)}`,
    );
  } else {
    const clause = optionsClause(options.server, new Set(existingOptions));
    if (clause) statements.push(`ALTER SERVER ${quote(server)}${clause}`);
  }
  statements.push(
    `DROP USER MAPPING IF EXISTS FOR CURRENT_USER SERVER ${quote(server)}`,
    `CREATE USER MAPPING FOR CURRENT_USER SERVER ${quote(
      server,
    )}${optionsClause(options.userMapping)}`,
  );
  return statements;
}

/** A foreign table over `remote` with the target table's columns. */
export function createForeignTable(
  name: TableName,
  columns: Array<{ name: string; type: string; isNullable: boolean }>,
  server: string,
  remote: TableName,
): string {
  const lines = columns.map(
    c => `  ${quote(c.name)} ${c.type}${c.isNullable ? '' : ' NOT NULL'}`,
  );
  const options = optionsClause({
    schema_name: remote.schema,
    table_name: remote.table,
  }).trim();
  return `CREATE FOREIGN TABLE ${qualify(name)} (\n${lines.join(
    ',\n',
  )}\n) SERVER ${quote(server)}\n${options}`;
}

export const dropForeignTableIfExists = (name: TableName) =>
  `DROP FOREIGN TABLE IF EXISTS ${qualify(name)}`;

/**
 * Drops this user's mapping and the server once no foreign table reads through the
 * server any more: other migrations from this database to the same target share it.
 * The server goes only when no other user's mapping remains and this user owns it.
 */
export function dropForeignServerIfUnused(server: string): string {
  const name = literal(server);
  return `DO $dm$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_foreign_table t JOIN pg_foreign_server s ON s.oid = t.ftserver
    WHERE s.srvname = ${name}
  ) THEN
    DROP USER MAPPING IF EXISTS FOR CURRENT_USER SERVER ${quote(server)};
    IF NOT EXISTS (SELECT 1 FROM pg_user_mappings WHERE srvname = ${name})
       AND EXISTS (
         SELECT 1 FROM pg_foreign_server
         WHERE srvname = ${name} AND pg_has_role(srvowner, 'MEMBER')
       ) THEN
      DROP SERVER ${quote(server)};
    END IF;
  END IF;
END
$dm$`;
}
