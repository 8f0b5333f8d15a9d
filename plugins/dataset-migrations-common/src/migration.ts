import type { MigrationEventType } from './lifecycle';

/** Every status of a migration, in lifecycle order. @public */
export const MIGRATION_STATUSES = [
  'queued',
  'running',
  'awaiting_cleanup',
  'cleaning_up',
  'cleanup_failed',
  'completed',
  'failed',
  'cancelled',
  'rolling_back',
  'rolled_back',
] as const;

/** Statuses of a migration. @public */
export type MigrationStatus = (typeof MIGRATION_STATUSES)[number];

/** Statuses after which nothing more happens to a migration. @public */
export const FINAL_MIGRATION_STATUSES: readonly MigrationStatus[] = [
  'completed',
  'failed',
  'cancelled',
  'rolled_back',
];

/** The steps of a migration, in order. @public */
export const MIGRATION_STEPS = [
  'preflight',
  'provision',
  'copy',
  'catch-up',
  'verify',
  'cutover',
  'cleanup',
] as const;

/** A step's name. @public */
export type StepName = (typeof MIGRATION_STEPS)[number];

/** A step's status. @public */
export type StepStatus =
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'undoing'
  | 'undone';

/** One step of a migration, as the API returns it. @public */
export type MigrationStep = {
  name: StepName;
  status: StepStatus;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  progress: { done: number; total: number | null; unit: string | null };
  error: string | null;
};

/** One run of a plan for one dataset. @public */
export type Migration = {
  id: string;
  entityRef: string;
  status: MigrationStatus;
  connection: string;
  ownerRef: string | null;
  /** The campaign that queued it, or null for one started from its dataset's page. */
  campaignId: string | null;
  agent: { id: string; version: string };
  planHash: string;
  /** The table it moves, as a location annotation names it (`warehouse:public.page_views`). */
  source: string;
  /** Where it moves the table: the dataset's new home once the migration completed. */
  target: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  error: string | null;
  steps: MigrationStep[];
};

/** An entry of a migration's append-only event log. @public */
export type MigrationEvent = {
  id: number;
  migrationId: string;
  createdAt: string;
  type: MigrationEventType;
  step: StepName | null;
  actor: string | null;
  message: string;
  data: Record<string, unknown> | null;
};

/** Filters and paging of `GET /migrations`. @public */
export type MigrationListQuery = {
  entityRef?: string;
  status?: MigrationStatus;
  owner?: string;
  connection?: string;
  /** ISO date-times bounding `createdAt`. */
  createdAfter?: string;
  createdBefore?: string;
  /** Case-insensitive text found anywhere in the entity ref, who started it or the status. */
  search?: string;
  /** The order of the whole list, newest first by default. */
  orderBy?: MigrationOrderBy;
  order?: SortOrder;
  limit?: number;
  /** The nextCursor of the previous page, under the same order. */
  cursor?: string;
};

/** What `GET /migrations` can order by (each has an index, ties broken by id). @public */
export const MIGRATION_ORDER_BY = [
  'createdAt',
  'status',
  'entityRef',
  'createdBy',
] as const;

/** @public */
export type MigrationOrderBy = (typeof MIGRATION_ORDER_BY)[number];

/** @public */
export const SORT_ORDERS = ['asc', 'desc'] as const;

/** @public */
export type SortOrder = (typeof SORT_ORDERS)[number];

/** A page of migrations, in the order asked (newest first by default). @public */
export type MigrationPage = { items: Migration[]; nextCursor: string | null };

/** Aggregates for the history dashboard. @public */
export type MigrationStats = {
  total: number;
  byStatus: Partial<Record<MigrationStatus, number>>;
  /**
   * completed / (completed + failed + rollbacks.automatic): a rollback a person asked
   * for is their choice, not a failure, so it counts on neither side. Null with none
   * of those.
   */
  successRate: number | null;
  /** The rolled-back migrations, by who asked for the rollback. */
  rollbacks: {
    /** A person rolled it back (the rollback event's actor is a user). */
    requestedByPerson: number;
    /** The product did, after a failure: the abort of the rollout that planned it. */
    automatic: number;
  };
  perDay: Array<{ day: string; count: number }>;
};

/** A worker of the fleet, as the backend reports it. @public */
export type FleetWorker = {
  id: string;
  instanceId: string;
  startedAt: string;
  heartbeatAt: string;
  currentStep: { migrationId: string; step: StepName } | null;
  agentVersions: string[];
};

/**
 * Where a dataset's table lives now that completed migrations moved it away from the
 * location its catalog entity names (several moves followed in order). @public
 */
export type DatasetNewHome = {
  /** The location asked about: the table that no longer lives there. */
  movedFrom: string;
  /** The new home, as a location annotation names it (`warehouse:page_view_events`). */
  location: string;
  /** The completed migration that moved the table there (the last, after several). */
  migrationId: string;
  /** When that migration completed. */
  movedAt: string;
};
