import type {
  Migration,
  MigrationEvent,
  MigrationListQuery,
  MigrationPage,
  MigrationStats,
  MigrationStatus,
  Plan,
  FleetWorker,
  StepName,
  StepStatus,
} from '@internal/backstage-plugin-dataset-migrations-common';

/** A migration as the executor sees it: the API shape plus its plan and lease. */
export type MigrationRecord = Migration & {
  plan: Plan;
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  /** Not before this time may a worker claim it (retry backoff, cleanup grace). */
  runAfter: string | null;
};

export type NewMigration = {
  entityRef: string;
  connection: string;
  ownerRef: string | null;
  plan: Plan;
  createdBy: string;
};

export type NewEvent = {
  type: string;
  step?: StepName | null;
  actor?: string | null;
  message: string;
  data?: Record<string, unknown> | null;
};

export type StepUpdate = {
  status?: StepStatus;
  /** Adds one to the step's attempts (when a run starts). */
  incrementAttempts?: boolean;
  startedAt?: Date | null;
  finishedAt?: Date | null;
  progress?: { done: number; total?: number | null; unit?: string | null };
  /** Opaque JSON-able checkpoint, e.g. the last copied key. */
  checkpoint?: unknown;
  error?: string | null;
};

/**
 * The only place that reads and writes the plugin's tables. Every method is safe to
 * call from several backend instances at once.
 */
export interface MigrationStore {
  /**
   * Creates a queued migration with its six steps (pending) and a `created` event.
   * Throws `ConflictError` when the dataset already has an active (non-final) migration
   * — enforced by the database (unique key), not by a read-then-write race.
   */
  createMigration(input: NewMigration): Promise<MigrationRecord>;
  getMigration(id: string): Promise<MigrationRecord | undefined>;
  /** Newest first, keyset-paged on (created_at, id); filters use indexes. */
  listMigrations(query: MigrationListQuery): Promise<MigrationPage>;
  getStats(query: MigrationListQuery): Promise<MigrationStats>;

  /**
   * Sets the migration's status (and error), releasing the dataset's active slot when
   * the status is final. `expected`, when given, guards the transition: the update only
   * happens if the current status is one of them; returns whether it happened.
   */
  setStatus(
    id: string,
    status: MigrationStatus,
    options?: {
      error?: string | null;
      expected?: MigrationStatus[];
      runAfter?: Date | null;
    },
  ): Promise<boolean>;
  /**
   * Retry after a failure, cancel or rollback: in one transaction takes the dataset's
   * active slot again (ConflictError when another migration holds it), resets every
   * step to pending (attempts kept, progress, checkpoint and error cleared) and sets the
   * status to queued with no error. Returns false when the status was not final.
   */
  requeue(id: string): Promise<boolean>;
  updateStep(id: string, step: StepName, update: StepUpdate): Promise<void>;
  /** The step's checkpoint as stored (parsed JSON), or undefined. */
  getCheckpoint(id: string, step: StepName): Promise<unknown>;

  appendEvent(migrationId: string, event: NewEvent): Promise<MigrationEvent>;
  /** Events with id > afterId, oldest first. */
  listEvents(
    migrationId: string,
    afterId?: number,
    limit?: number,
  ): Promise<MigrationEvent[]>;

  /**
   * Claims one runnable migration for `workerId` with a lease until now + leaseMs:
   * status queued/running/rolling_back, or awaiting_cleanup whose runAfter has passed;
   * lease free or expired; runAfter null or passed. Oldest first. PostgreSQL uses
   * `FOR UPDATE SKIP LOCKED`; other engines a guarded conditional update, so two
   * workers never hold the same migration.
   */
  claimMigration(
    workerId: string,
    leaseMs: number,
  ): Promise<MigrationRecord | undefined>;
  /** Extends the lease if `workerId` still holds it; false when it was lost. */
  renewLease(id: string, workerId: string, leaseMs: number): Promise<boolean>;
  releaseLease(
    id: string,
    workerId: string,
    runAfter?: Date | null,
  ): Promise<void>;

  registerWorker(worker: {
    id: string;
    instanceId: string;
    agentVersions: string[];
  }): Promise<void>;
  heartbeatWorker(
    id: string,
    currentStep: { migrationId: string; step: StepName } | null,
  ): Promise<void>;
  removeWorker(id: string): Promise<void>;
  /** Workers whose heartbeat is newer than `aliveWithinMs`. */
  listWorkers(aliveWithinMs: number): Promise<FleetWorker[]>;
}
