import type { Knex } from 'knex';
import { allRows } from '../../dialects/rawRows';
import type { ForeignServerSettings } from '../../connections/foreignServerSettings';
import {
  foreignServerName,
  foreignServerPreview,
  foreignServerStatements,
  POSTGRES_FDW_CONFIG_KEY,
} from '../../dialects/postgresFdw';
import { lockTimeoutMsOf, tableLabel, withLockTimeout } from './lockTimeout';
import { PermanentStepError, StepContext } from './Step';

/*
 * A statement holding credentials never goes through knex's SQL text: knex turns every
 * `?` of a raw statement into a `$n` placeholder, even inside a string literal (which
 * would corrupt a password holding one), and prefixes every error message with the
 * statement. So the statement travels as a bound parameter into a transaction-local
 * setting, and a fixed DO block executes it: neither the SQL knex sees, nor the server
 * log of top-level statements, nor pg_stat_activity ever hold the values.
 */
const CARRY = `SELECT set_config('dm.fdw_statement', ?, true)`;
const EXECUTE = `DO $dm$ BEGIN EXECUTE current_setting('dm.fdw_statement'); END $dm$`;

/** SQLSTATEs retrying cannot fix: missing privilege, unknown object, no such extension. */
const isPermanent = (code: unknown) =>
  typeof code === 'string' &&
  (code.startsWith('42') || code === '58P01' || code === '0A000');

/** The server's own message, without the SQL knex prefixed to it and without secrets. */
function serverMessage(
  error: unknown,
  statement: string,
  secrets: Array<string | undefined>,
): string {
  const message = error instanceof Error ? error.message : String(error);
  const at = message.lastIndexOf(`${statement} - `);
  let reason =
    at >= 0
      ? message.slice(at + statement.length + 3)
      : 'the database refused it (details withheld: they could hold credentials)';
  for (const secret of secrets) {
    if (secret) reason = reason.split(secret).join('<redacted>');
  }
  return reason;
}

const codeOf = (error: unknown) => (error as { code?: unknown })?.code;

async function createExtension(trx: Knex.Transaction, connection: string) {
  const sql = 'CREATE EXTENSION IF NOT EXISTS postgres_fdw';
  try {
    await trx.raw(sql);
  } catch (e) {
    const Failure = isPermanent(codeOf(e)) ? PermanentStepError : Error;
    throw new Failure(
      `Cannot create the postgres_fdw extension in the database of connection "${connection}" (${serverMessage(
        e,
        sql,
        [],
      )}). A superuser must run CREATE EXTENSION postgres_fdw in that database once (PostgreSQL ships it in its contrib package), or remove the pair from ${POSTGRES_FDW_CONFIG_KEY} and plan again`,
    );
  }
}

/**
 * Creates the foreign server (or brings its options up to date) and the current
 * user's mapping from app-config, inside the cutover's transaction.
 */
async function createForeignServer(
  trx: Knex.Transaction,
  connection: string,
  server: string,
  settings: ForeignServerSettings,
) {
  const existing = allRows(
    await trx.raw(
      `SELECT w.fdwname AS wrapper, s.srvoptions AS options
       FROM pg_foreign_server s JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw
       WHERE s.srvname = ?`,
      [server],
    ),
  )[0];
  if (existing && existing.wrapper !== 'postgres_fdw') {
    throw new PermanentStepError(
      `The database of connection "${connection}" has a foreign server ${server} of wrapper ${String(
        existing.wrapper,
      )}; names starting with dm_fdw_ belong to dataset migrations. Rename or drop that server and retry`,
    );
  }
  const existingOptions = existing
    ? ((existing.options as string[] | null) ?? []).map(o => o.split('=')[0])
    : undefined;
  const secrets = [settings.userMapping.password];
  for (const statement of foreignServerStatements(
    server,
    settings,
    existingOptions,
  )) {
    try {
      await trx.raw(CARRY, [statement]);
      await trx.raw(EXECUTE);
    } catch (e) {
      const Failure = isPermanent(codeOf(e)) ? PermanentStepError : Error;
      const what = statement.startsWith('CREATE USER MAPPING')
        ? 'the user mapping'
        : 'the foreign server';
      throw new Failure(
        `Cannot create ${what} ${server} in the database of connection "${connection}" (${serverMessage(
          e,
          EXECUTE,
          secrets,
        )}). The connection's user needs USAGE on the postgres_fdw wrapper (GRANT USAGE ON FOREIGN DATA WRAPPER postgres_fdw TO <user>), and a user that is not a superuser needs a password in ${POSTGRES_FDW_CONFIG_KEY} or on the target connection`,
      );
    }
  }
  await trx.raw(CARRY, ['']);
}

/**
 * The cutover of a `foreign-view` plan, in one transaction on the source: the foreign
 * server and user mapping from app-config in place of the plan's redacted statements,
 * then the plan's own statements (backup rename, foreign table, view). A crash
 * anywhere leaves nothing behind, so a retry starts over cleanly.
 */
export async function cutOverToForeignView(ctx: StepContext): Promise<void> {
  const { plan, source } = ctx;
  const server = foreignServerName(plan.target.connection);
  const settings = ctx.foreignServer;
  if (!settings) {
    throw new PermanentStepError(
      `postgres_fdw is not enabled for ${source.connection} -> ${plan.target.connection}, but the plan reads ${plan.target.table} through it at the old name of ${plan.source.table}: add { source: ${source.connection}, target: ${plan.target.connection} } back under ${POSTGRES_FDW_CONFIG_KEY}, or migrate again with a new plan`,
    );
  }
  const preview = foreignServerPreview(server);
  const statements = plan.artifacts.cutover.filter(
    sql => !preview.includes(sql),
  );
  if (statements.length !== plan.artifacts.cutover.length - preview.length) {
    throw new PermanentStepError(
      `The cutover of plan ${plan.hash.slice(
        0,
        12,
      )} does not name foreign server ${server} the way this version expects; generate and approve a new plan`,
    );
  }
  // Readers of the old name queue behind the rename's lock: wait for it a bounded time.
  await withLockTimeout(
    source,
    lockTimeoutMsOf(ctx),
    { action: `Cutover of ${ctx.entityRef}`, table: tableLabel(ctx) },
    async trx => {
      await createExtension(trx, source.connection);
      await createForeignServer(trx, source.connection, server, settings);
      for (const sql of statements) await trx.raw(sql);
    },
  );
}
