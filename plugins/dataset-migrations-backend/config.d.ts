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
      };
    };
    /** How this instance runs migrations. */
    executor?: {
      /** Worker slots on this instance (default 2); 0 makes an API-only instance. */
      workerSlots?: number;
      /** Attempts of a step before the migration rolls back (default 5). */
      maxAttempts?: number;
      /** Lease of a claimed migration in seconds (default 30); renewed every third. */
      leaseSeconds?: number;
      /** First retry delay in seconds (default 1), doubled per attempt with jitter. */
      retryBaseSeconds?: number;
      /** Longest retry delay in seconds (default 60). */
      retryCapSeconds?: number;
      /** Hours the compatibility view and backup stay before cleanup runs (default 168). */
      cleanupGraceHours?: number;
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
  };
}
