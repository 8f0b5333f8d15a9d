/** How the executor runs, from `datasetMigrations.executor` in app-config. */
export type ExecutorSettings = {
  /** Worker slots on this instance; 0 makes an API-only instance. */
  workerSlots: number;
  /** Attempts of a step before the migration is rolled back. */
  maxAttempts: number;
  leaseMs: number;
  retryBaseMs: number;
  retryCapMs: number;
  /** How long the compatibility view and backup stay before cleanup runs by itself. */
  cleanupGraceMs: number;
  /** How often an idle worker looks for work another instance queued. */
  pollIntervalMs: number;
  /**
   * Longest wait of cutover, cleanup and rollback of the cutover for a table lock
   * (PostgreSQL `lock_timeout`, MySQL `lock_wait_timeout`): readers of the old name
   * queue behind the waiting DDL, so it gives up after this and retries with backoff.
   */
  lockTimeoutMs: number;
};

export const DEFAULT_EXECUTOR_SETTINGS: ExecutorSettings = {
  // A small table's migration waits on round trips far more than on the databases'
  // work: 2 slots moved 4.8 tiny tables/s on the 2-core bench machine, 4 moved 9.3
  // and 8 moved 11.5 (bench:fleet). Each connection's own caps still bound its load.
  workerSlots: 4,
  maxAttempts: 5,
  leaseMs: 30_000,
  retryBaseMs: 1_000,
  retryCapMs: 60_000,
  cleanupGraceMs: 7 * 24 * 3600_000,
  pollIntervalMs: 1_000,
  lockTimeoutMs: 2_000,
};
