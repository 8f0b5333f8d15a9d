import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import type { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the Dataset Migrations plugin suite. */
  datasetMigrations?: {
    /**
     * Databases that hold datasets, by name. A dataset's location annotation names one
     * (`<connection>:<schema>.<table>`). Never sent to the browser.
     */
    connections?: {
      [name: string]: {
        /** knex client: `better-sqlite3`, `pg` or `mysql2`. */
        client: 'better-sqlite3' | 'pg' | 'mysql2';
        /**
         * knex connection settings: an object (`filename` for SQLite; `host`, `port`,
         * `user`, `password`, `database` otherwise) or a connection string.
         * @visibility secret
         */
        connection:
          | string
          | {
              filename?: string;
              host?: string;
              port?: number;
              user?: string;
              /** @visibility secret */
              password?: string;
              database?: string;
            };
        /**
         * Owners whose datasets this connection accepts: entity refs such as
         * `group:default/data-platform` (a bare name means a group in the default
         * namespace). Planning and starting a migration of a dataset whose catalog
         * `spec.owner` is not listed is refused, so that registering a catalog entity
         * that points at a table on this connection gives its author no power over
         * the table. Absent: any owner is accepted (set it in production).
         */
        allowedOwners?: string[];
      };
    };
    /** Bounds on what one user's requests may cost the databases and the backend. */
    limits?: {
      /**
       * Longest single statement of plan generation and preflight, in seconds
       * (default 30): PostgreSQL `statement_timeout`, MariaDB `max_statement_time`,
       * MySQL `max_execution_time` (SELECTs only). SQLite has no statement timeout.
       */
      statementTimeoutSeconds?: number;
      /** The statement timeout as a duration; replaces statementTimeoutSeconds. */
      statementTimeout?: HumanDuration | string;
      /** Plan requests (previews and starts) one user may run at once (default 2). */
      plansPerUser?: number;
      /** Event streams (server-sent events) one user may hold open (default 10). */
      eventStreamsPerUser?: number;
    };
    /** How readers of a moved dataset's old name are served after cutover. */
    compatibility?: {
      /**
       * PostgreSQL connection pairs whose moves keep a compatibility view at the old
       * name across databases: at cutover the source database gets a `postgres_fdw`
       * foreign server (`dm_fdw_<target>`), a user mapping for the source connection's
       * user and a foreign table over the new table, and the view reads that. Without
       * an entry, a move between two PostgreSQL databases freezes the source read-only
       * instead. The source connection's user must be able to create the extension
       * (or find it installed) and a foreign server (USAGE on postgres_fdw).
       */
      postgresFdw?: Array<{
        /** The connection datasets move from (client `pg`): where the view stands. */
        source: string;
        /** The connection datasets move to (client `pg`): what the foreign table reads. */
        target: string;
        /**
         * The target's host as the source's PostgreSQL server reaches it, when it
         * differs from the target connection's (default: the target connection's).
         */
        host?: string;
        /** The target's port as the source's server reaches it (default: the target connection's). */
        port?: number;
        /** The user of the user mapping (default: the target connection's user). */
        user?: string;
        /**
         * The password of the user mapping (default: the target connection's password).
         * @visibility secret
         */
        password?: string;
      }>;
    };
    /**
     * How many migrations may run at once, on every backend instance sharing the
     * plugin's database together (enforced where workers claim work). Single migrations
     * and campaigns count alike; a campaign adds its own cap and start rate.
     */
    caps?: {
      /** Migrations running at once with one connection as their source (default 8). */
      perSourceConnection?: number;
      /** Migrations running at once with one connection as their target (default 8). */
      perTargetConnection?: number;
      /** Migrations running at once of datasets of one owner (default 8). */
      perOwner?: number;
      /** Per-connection overrides, by the connection's name under `connections`. */
      connections?: {
        [name: string]: {
          /** Replaces perSourceConnection and perTargetConnection for this connection. */
          maxRunning: number;
        };
      };
    };
    /** How this instance runs migrations. */
    executor?: {
      /** Worker slots on this instance (default 4); 0 makes an API-only instance. */
      workerSlots?: number;
      /** Attempts of a step before the migration rolls back (default 5). */
      maxAttempts?: number;
      /** Lease of a claimed migration in seconds (default 30); renewed every third. */
      leaseSeconds?: number;
      /** The lease as a duration (`{ seconds: 30 }`, `PT30S`); replaces leaseSeconds. */
      lease?: HumanDuration | string;
      /** First retry delay in seconds (default 1), doubled per attempt with jitter. */
      retryBaseSeconds?: number;
      /** The first retry delay as a duration; replaces retryBaseSeconds. */
      retryBase?: HumanDuration | string;
      /** Longest retry delay in seconds (default 60). */
      retryCapSeconds?: number;
      /** The longest retry delay as a duration; replaces retryCapSeconds. */
      retryCap?: HumanDuration | string;
      /** Hours the compatibility view and backup stay before cleanup runs (default 168). */
      cleanupGraceHours?: number;
      /**
       * How long the compatibility view and backup stay before cleanup runs: a duration
       * such as `{ days: 7 }` or `P7D` (default 7 days). Replaces cleanupGraceHours.
       */
      cleanupGrace?: HumanDuration | string;
      /**
       * Seconds cutover and cleanup wait for a table lock (default 2): readers of the
       * dataset queue behind a waiting cutover, so it gives up and retries with backoff.
       */
      lockTimeoutSeconds?: number;
      /** The lock wait as a duration in whole seconds; replaces lockTimeoutSeconds. */
      lockTimeout?: HumanDuration | string;
    };
    /**
     * Transformation rules, tried in order; for each column (and for the table's
     * placement) the first rule that matches and carries that kind of action wins.
     * Built-in defaults apply after these.
     */
    rules?: Array<{
      /** A name shown in plans, so reviewers see which rule did what. */
      name: string;
      /** Selectors; glob patterns (`*`, `?`), all optional, all must match. */
      match?: {
        connection?: string;
        schema?: string;
        table?: string;
        column?: string;
        /** Source column type, e.g. `varchar*` or `int*`. */
        type?: string;
      };
      /** Rename matched columns by a convention. */
      renameColumns?: 'snake_case' | 'keep';
      /** Explicit new name for the matched column. */
      renameTo?: string;
      /** Target type for matched columns, e.g. `bigint` or `numeric(12,2)`. */
      cast?: string;
      /** Literal default value for matched columns in the target table. */
      default?: string | number | boolean;
      /** Drop matched columns. Destructive: refused unless `allowDestructive` is true. */
      drop?: boolean;
      /** Allows a destructive action of this rule (drop, narrowing cast). */
      allowDestructive?: boolean;
      /** Extra columns computed from source columns (`{columnName}` placeholders). */
      computed?: Array<{ name: string; type: string; expression: string }>;
      /** Where matched tables move. */
      target?: {
        connection?: string;
        schema?: string;
        /** Table-name template: `{table}`, `{table:snake}`, `{schema}`. */
        table?: string;
      };
    }>;
    /**
     * Discovery: the catalog gets a dataset entity (a `Resource` of `spec.type:
     * dataset`) for each table of these connections, refreshed on a schedule; a table
     * that is dropped leaves the catalog on the next run. One entry per connection.
     * Installed by the catalog module `catalogModuleDatasetDiscovery`. Tables the
     * plugin makes for its own work (`dm_*`, `*__dm_backup`) and views are never
     * datasets. Patterns are globs (`*`, `?`, case-insensitive); a table pattern with a
     * dot matches `schema.table`, one without the table name alone.
     */
    /**
     * Agents by id. A version registered after the plugin first started plans nothing
     * until a rollout promotes it; `stableVersion` chooses the stable one at first
     * start (default: the newest registered then).
     */
    agents?: {
      [agentId: string]: {
        /** A registered semver version, e.g. 1.3.0. */
        stableVersion: string;
      };
    };
    /** The consumer flow: where consumers' SQL may be read from. */
    consumers?: {
      /**
       * Directories (relative to the backend's working directory) from which consumers
       * registered through `file:` catalog locations may have their SQL read. Files
       * anywhere else, and consumers on SCM integrations, are not affected: those are
       * read through the integrations under `integrations`.
       */
      fileRoots?: string[];
      /** How rewrites of consumers' SQL are proven by result parity. */
      parity?: {
        /**
         * Whether rewritten writes (INSERT, UPDATE, DELETE) are checked by running the
         * original on the old name and the rewrite on the new table, each in a
         * transaction that is always rolled back, with a short lock wait. Default true.
         * Set false to never run a consumer's write against the dataset's databases,
         * even rolled back: its rewrites are then offered unproven, for review.
         */
        writes?: boolean;
      };
    };
    discovery?: Array<{
      /** The connection (under `connections`) to look at. */
      connection: string;
      /**
       * Schemas (MySQL/MariaDB: databases) to look in; absent: the connection's
       * current schema only. Not for SQLite.
       */
      schemas?: string[];
      /** Tables to include; absent: all of them. */
      tables?: string[];
      /** Tables to leave out, such as those a hand-written dataset entity describes. */
      exclude?: string[];
      /** Owner rules, first match wins: a table pattern and an owner entity ref. */
      owners?: Array<{ match: string; owner: string }>;
      /** The owner of tables no rule matches, e.g. `group:default/data-platform`. */
      defaultOwner: string;
      /** The system every discovered dataset is part of, e.g. `data-warehouse`. */
      system?: string;
      /** When discovery runs; default every 30 minutes, with a 10-minute timeout. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    }>;
  };
}
