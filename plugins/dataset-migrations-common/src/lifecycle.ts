import type { MigrationStatus } from './migration';

/**
 * The migration state machine, written once: which status may follow which, and
 * which person-initiated action applies in which status. The store applies every
 * transition as a compare-and-set on the stored status; the API and the UI ask the
 * same tables whether an action is allowed.
 */

/** Actions a person can take on a migration. @public */
export const MIGRATION_ACTIONS = [
  'cancel',
  'retry',
  'rollback',
  'finalize',
] as const;

/** An action on a migration. @public */
export type MigrationAction = (typeof MIGRATION_ACTIONS)[number];

/** An action's rule: the statuses it applies in. @public */
export type MigrationActionRule = {
  from: readonly MigrationStatus[];
  /** Completes "you can …" in the refusal message. */
  describe: string;
  /** What to do instead, for statuses where a person may expect the action to apply. */
  instead?: Partial<Record<MigrationStatus, string>>;
};

/** What each action does. @public */
export const MIGRATION_ACTION_RULES: Record<
  MigrationAction,
  MigrationActionRule
> = {
  cancel: {
    from: ['queued', 'running'],
    describe: 'cancel it while it is queued or running',
  },
  // Not from rolled_back: a person undid a migration that had succeeded, on purpose.
  // Running the same plan again would redo what they undid; a new Migrate plans the
  // dataset afresh (its rules or agent may have changed since) and is reviewed again.
  retry: {
    from: ['failed', 'cancelled'],
    describe: 'retry it after it failed or was cancelled',
    instead: {
      rolled_back:
        "a rolled-back migration is not retried: start a new one with Migrate on the dataset's page, which plans it again for review",
    },
  },
  // Not from cleaning_up: once cleanup has begun to drop the view or the backup,
  // nothing can bring them back, so an undo would leave the dataset nowhere.
  rollback: {
    from: ['running', 'awaiting_cleanup'],
    describe:
      'roll it back while it runs or awaits cleanup (never once cleanup has begun)',
  },
  finalize: {
    from: ['awaiting_cleanup', 'cleanup_failed'],
    describe:
      'finalize it once it awaits cleanup, or again after cleanup failed',
  },
};

/**
 * Every legal status change (actions and the executor's own). The store refuses any
 * other, so a bug cannot, say, complete a migration that is rolling back. @public
 */
export const MIGRATION_TRANSITIONS: Record<
  MigrationStatus,
  readonly MigrationStatus[]
> = {
  queued: ['running', 'cancelled'],
  running: ['awaiting_cleanup', 'rolling_back'],
  awaiting_cleanup: ['cleaning_up', 'rolling_back'],
  cleaning_up: ['completed', 'cleanup_failed'],
  cleanup_failed: ['cleaning_up'],
  // Back to awaiting_cleanup only when cutover's undo refused to lose writes.
  rolling_back: ['rolled_back', 'cancelled', 'failed', 'awaiting_cleanup'],
  completed: [],
  failed: ['queued'],
  cancelled: ['queued'],
  // A new migration, not a requeue, follows a rollback (see the retry rule).
  rolled_back: [],
};

/** Whether `action` applies to a migration in `status`. @public */
export function isActionAllowed(
  action: MigrationAction,
  status: MigrationStatus,
): boolean {
  return MIGRATION_ACTION_RULES[action].from.includes(status);
}

/** The actions that apply in `status`, in display order. @public */
export function allowedActions(status: MigrationStatus): MigrationAction[] {
  return MIGRATION_ACTIONS.filter(action => isActionAllowed(action, status));
}

/** Whether the status may change from `from` to `to`. @public */
export function isTransitionAllowed(
  from: MigrationStatus,
  to: MigrationStatus,
): boolean {
  return MIGRATION_TRANSITIONS[from].includes(to);
}

/**
 * Every type of entry in a migration's event log: the executor's transitions and step
 * outcomes, and what people asked for. @public
 */
export type MigrationEventType =
  | 'created'
  | 'status'
  | 'step.started'
  | 'step.succeeded'
  | 'step.retry'
  | 'step.log'
  | 'step.undone'
  | 'undo.retry'
  | 'retries.exhausted'
  | 'cleanup.failed'
  | 'worker.error'
  | `${MigrationAction}.requested`
  | `action.${MigrationAction}`;
