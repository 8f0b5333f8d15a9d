import knexFactory, { Knex } from 'knex';
import { SqliteThread } from './sqliteThread';

type KnexClientClass = typeof Knex.Client;
let threadClientClass: KnexClientClass | undefined;

type Settings = { filename: string; options?: { readonly?: boolean } };
type Query = {
  sql?: string;
  bindings?: unknown[];
  response?: unknown;
  context?: unknown;
};

const READ_SNAPSHOT = 'dmSqliteReadSnapshot';

/**
 * The transaction config of a transaction that only reads and must not hold writers
 * back (verify's snapshot): it begins deferred, as SQLite's own read transactions do.
 * (knex replaces a config's `userParams`, but passes other keys to the client.)
 */
export const SQLITE_READ_SNAPSHOT = {
  [READ_SNAPSHOT]: true,
} as Knex.TransactionConfig;

/**
 * Whether a better-sqlite3 connection names a database file another connection can
 * open: an in-memory database exists once per connection, on the thread that made it.
 */
export function isSqliteFile(connection: unknown): boolean {
  const filename = (connection as { filename?: unknown } | undefined)?.filename;
  return (
    typeof filename === 'string' &&
    filename !== '' &&
    filename !== ':memory:' &&
    !/^file:.*(:memory:|mode=memory)/.test(filename)
  );
}

/**
 * knex's better-sqlite3 client whose connection lives in a worker thread
 * (`SqliteThread`): everything else (SQL, bindings, transactions on the pool's one
 * connection, answers) is knex's own, so every step runs unchanged while the
 * backend's event loop keeps answering requests during a long statement. As a class:
 * knex builds each transaction's client from the class's prototype.
 */
export function sqliteThreadClient(): KnexClientClass {
  if (!threadClientClass) {
    // No connection: the probe only lends its class, and opens no pool.
    const Base = knexFactory({
      client: 'better-sqlite3',
      useNullAsDefault: true,
    }).client.constructor as KnexClientClass;
    threadClientClass = class extends Base {
      async acquireRawConnection() {
        const settings = (this as unknown as { connectionSettings: Settings })
          .connectionSettings;
        return new SqliteThread(settings.filename, {
          readonly: Boolean(settings.options?.readonly),
        }).open();
      }

      async validateConnection(connection: SqliteThread) {
        return connection.isOpen;
      }

      async destroyRawConnection(connection: SqliteThread) {
        await connection.close();
      }

      // A transaction takes SQLite's write lock when it begins (BEGIN IMMEDIATE), so it
      // waits its turn there (the busy timeout). Begun deferred, its first read takes a
      // shared lock, and its first write then fails at once with SQLITE_BUSY when an
      // application's write holds the lock: SQLite does not wait where waiting could
      // deadlock. A provision reading the schema before its CREATE failed every
      // attempt that way beside a busy writer. A read snapshot that must not hold
      // writers back begins deferred (`SQLITE_READ_SNAPSHOT`).
      transaction(
        container: unknown,
        config: Knex.TransactionConfig | undefined,
        outerTx: unknown,
      ): Knex.Transaction {
        const trx = super.transaction(
          container,
          config,
          outerTx,
        ) as Knex.Transaction & {
          begin(conn: unknown): unknown;
          query(conn: unknown, sql: string): unknown;
        };
        if (!(config as Record<string, unknown> | undefined)?.[READ_SNAPSHOT]) {
          trx.begin = conn => trx.query(conn, 'BEGIN IMMEDIATE;');
        }
        return trx;
      }

      async _query(connection: SqliteThread, obj: Query) {
        if (!obj.sql) throw new Error('The query is empty');
        const bindings = (
          this as unknown as { _formatBindings(b?: unknown[]): unknown[] }
        )._formatBindings(obj.bindings);
        const response = await connection.query(obj.sql, bindings);
        obj.response = response;
        // A reading statement answers rows; any other what it changed.
        if (!Array.isArray(response)) {
          const run = response as { changes: number; lastInsertRowid: unknown };
          obj.context = { lastID: run.lastInsertRowid, changes: run.changes };
        }
        return obj;
      }
    } as unknown as KnexClientClass;
  }
  return threadClientClass;
}
