import type {
  CampaignCapLoad,
  Migration,
  MigrationEvent,
  MigrationEventType,
  MigrationListQuery,
  MigrationPage,
  MigrationStats,
  MigrationStatus,
  Plan,
  FleetInstance,
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
  /** The campaign that queued it, whose caps and pacing apply when it is claimed. */
  campaignId?: string | null;
};

export type NewEvent = {
  type: MigrationEventType;
  step?: StepName | null;
  actor?: string | null;
  message: string;
  data?: Record<string, unknown> | null;
};

/** A guarded status change: see `MigrationStore.setStatus`. */
export type StatusChange = {
  /** The statuses the migration must be in for the change to happen. */
  expected: readonly MigrationStatus[];
  error?: string | null;
  runAfter?: Date | null;
  /** Appended in the same transaction, only when the change happened. */
  event?: NewEvent;
  /** Steps set back to pending with no attempts or error, in the same transaction. */
  resetSteps?: StepName[];
  /**
   * When the migration belongs to a campaign, its dataset goes back to be planned
   * again (with this reason) instead of following the status, in the same
   * transaction: no crash can leave it between the two.
   */
  replanCampaignDataset?: string;
};

export type StepUpdate = {
  status?: StepStatus;
  /** The step's attempts so far (a run that a crash or lost lease cut short is not one). */
  attempts?: number;
  startedAt?: Date | null;
  finishedAt?: Date | null;
  progress?: { done: number; total?: number | null; unit?: string | null };

  /** Opaque JSON-able checkpoint, e.g. the last copied key. */
  checkpoint?: unknown;
  error?: string | null;
};

/** One step's update with the event that tells of it. */
export type StepChange = {
  step: StepName;
  update: StepUpdate;
  event: NewEvent;
};

/** A migration's status and running step, cheap enough to poll while a step runs. */
export type MigrationState = {
  status: MigrationStatus;
  runningStep: StepName | null;
  /** The running step's progress so far, or null when no step runs. */
  progress: { done: number; unit: string | null } | null;
};

/** A completed migration's move of its dataset's table, from `source` to `target`. */
export type CompletedMove = {
  migrationId: string;
  /** Locations as annotations name them (`warehouse:public.page_views`). */
  source: string;
  target: string;
  /** When it completed. */
  completedAt: string;
};

/** What an instance says of itself at each heartbeat. */
export type InstanceHeartbeat = {
  id: string;
  host: string;
  pid: number;
  workerSlots: number;
  agentVersions: string[];
};

/**
 * The only place that reads and writes the plugin's tables. Every method is safe to
 * call from several backend instances at once.
 */
export interface MigrationStore {
  /**
   * Creates a queued migration with its steps (pending) and a `created` event. Throws
   * `ConflictError` when another active (non-final) migration touches its source or
   * target table — enforced by the database (one row per physical table, primary key),
   * not by a read-then-write race.
   */
  createMigration(input: NewMigration): Promise<MigrationRecord>;
  getMigration(id: string): Promise<MigrationRecord | undefined>;
  /** Newest first, keyset-paged on (created_at, id); filters use indexes. */
  listMigrations(query: MigrationListQuery): Promise<MigrationPage>;
  getStats(query: MigrationListQuery): Promise<MigrationStats>;
  /** The dataset's completed migrations as moves, oldest first (by completion). */
  listCompletedMoves(entityRef: string): Promise<CompletedMove[]>;

  /**
   * Moves the migration to `status` if, and only if, its stored status is one of
   * `expected` (a compare-and-set in one transaction, with the event appended in the
   * same transaction). Returns whether it happened. Releases the migration's tables when
   * the status is final. A transition the state machine (`MIGRATION_TRANSITIONS`) does
   * not have is a bug and throws.
   */
  setStatus(
    id: string,
    status: MigrationStatus,
    options: StatusChange,
  ): Promise<boolean>;
  /**
   * `setStatus`, saying also the id of the event it appended (undefined when nothing
   * changed or no event was asked for): what the signals announce, without reading back
   * what was just written.
   */
  setStatusWithEvent(
    id: string,
    status: MigrationStatus,
    options: StatusChange,
  ): Promise<{ changed: boolean; eventId?: number }>;
  /**
   * Retry after a failure, cancel or rollback: in one transaction takes the migration's
   * tables again (ConflictError naming the table when another active migration holds
   * one), resets every step to pending (attempts kept, progress, checkpoint and error
   * cleared) and sets the status to queued with no error. Returns false when the status
   * was not final.
   */
  requeue(id: string, event?: NewEvent): Promise<boolean>;
  /**
   * Updates a step; with `event`, appends it in the same transaction and returns the
   * new event's id.
   */
  updateStep(
    id: string,
    step: StepName,
    update: StepUpdate,
    event?: NewEvent,
  ): Promise<number | undefined>;
  /**
   * Records one step's end and the next step's start as one write (one statement on
   * PostgreSQL, one transaction elsewhere), their events in that order: the runner's
   * step boundary. Returns the last event's id.
   */
  updateStepsAtBoundary(
    id: string,
    finished: StepChange,
    started: StepChange,
  ): Promise<number>;
  /** The step's checkpoint as stored (parsed JSON), or undefined. */
  getCheckpoint(id: string, step: StepName): Promise<unknown>;

  appendEvent(migrationId: string, event: NewEvent): Promise<MigrationEvent>;
  /** Events with id > afterId, oldest first. */
  listEvents(
    migrationId: string,
    afterId?: number,
    limit?: number,
  ): Promise<MigrationEvent[]>;

  /** The newest event of one of `types`, however long the log is. */
  lastEventOf(
    migrationId: string,
    types: MigrationEventType[],
  ): Promise<MigrationEvent | undefined>;
  /** How many events of `type` (for `step`, when given) the log holds. */
  countEvents(
    migrationId: string,
    type: string,
    step?: StepName,
  ): Promise<number>;

  /**
   * Claims one runnable migration for `workerId` with a lease until now + leaseMs:
   * status queued/running/rolling_back/cleaning_up, or awaiting_cleanup whose runAfter
   * has passed;
   * lease free or expired; runAfter null or passed. Oldest first, started ones before
   * queued ones. A queued one only when starting it keeps every concurrency cap (per
   * source and target connection, per owner, its campaign's running cap, start rate and
   * active status), checked and claimed atomically across instances. PostgreSQL uses
   * `FOR UPDATE SKIP LOCKED`; other engines a guarded conditional update, so two
   * workers never hold the same migration.
   */
  claimMigration(
    workerId: string,
    leaseMs: number,
  ): Promise<MigrationRecord | undefined>;
  /**
   * The caps in force and the load on each right now, across every instance: source
   * and target connections, owners, and campaigns (`campaign:<id>`). With `campaignId`,
   * that campaign's cap comes first as scope `campaign`, and other campaigns are left out.
   */
  capLoads(campaignId?: string): Promise<CampaignCapLoad[]>;
  /** A campaign's starts in the last minute (and claimed ones about to start). */
  startsLastMinute(campaignId: string): Promise<number>;
  /** The stored status and the running step alone: cheap enough to poll while a step runs. */
  getState(id: string): Promise<MigrationState | undefined>;
  /**
   * Frees the leases of workers whose last heartbeat is older than `staleBefore` (or
   * that have no worker row): their process is gone. Returns how many were freed.
   */
  releaseLostLeases(staleBefore: Date): Promise<number>;
  /**
   * Frees every lease held by workers of these instances and forgets the workers: an
   * instance that restarted takes back what its earlier self held, at once.
   */
  releaseInstanceLeases(instanceIds: string[]): Promise<number>;
  /** Every instance id with a worker or instance row, alive or not. */
  listInstanceIds(): Promise<string[]>;
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
  /** Idle with no step, running with one; `rowsPerSecond` of its current copy. */
  heartbeatWorker(
    id: string,
    currentStep: { migrationId: string; step: StepName } | null,
    rowsPerSecond?: number | null,
  ): Promise<void>;
  /**
   * The worker's loop crashed and restarts after a backoff: counts the restart, keeps
   * why, and shows it as restarting meanwhile.
   */
  recordWorkerRestart(id: string, error: string): Promise<void>;
  removeWorker(id: string): Promise<void>;
  /** Workers whose heartbeat is newer than `aliveWithinMs`. */
  listWorkers(aliveWithinMs: number): Promise<FleetWorker[]>;

  /** Registers the instance or renews its heartbeat; an instance marked lost is alive again. */
  heartbeatInstance(instance: InstanceHeartbeat): Promise<void>;
  /** An instance that stops cleanly leaves the fleet at once. */
  removeInstance(id: string): Promise<void>;
  /**
   * Marks instances silent since before `staleBefore` as lost and returns the ones this
   * call marked; forgets instances lost (and workers silent) since before `forgetBefore`.
   */
  markLostInstances(staleBefore: Date, forgetBefore: Date): Promise<string[]>;
  /**
   * Every instance with its workers; an instance or worker silent since before
   * `lostBefore` is lost, whether or not a sweep marked it yet.
   */
  listInstances(lostBefore: Date): Promise<FleetInstance[]>;
  /** Queued migrations not yet started. */
  queueLength(): Promise<number>;
}
