import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  MigrationEventType,
  MigrationStatus,
  StepName,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { dialectFor } from '../dialects';
import type {
  MigrationRecord,
  MigrationStore,
  NewEvent,
  StepChange,
} from '../store/MigrationStore';
import { safeErrorMessage } from '../errors/safeErrorMessage';
import { backoffMs } from './backoff';
import { PendingProgress } from './pendingProgress';
import type { ExecutorSettings } from './ExecutorSettings';
import { STEPS } from './steps';
import { PermanentStepError, Side, Step, StepContext } from './steps/Step';

/** Why a rollback runs, and the status it ends in. */
export const ROLLBACK_REASONS: Partial<
  Record<MigrationEventType, MigrationStatus>
> = {
  'cancel.requested': 'cancelled',
  'rollback.requested': 'rolled_back',
  'retries.exhausted': 'failed',
};

/**
 * How one attempt at a step ended: done; failed but will be retried after a backoff;
 * failed for good (retries spent, or a failure retrying cannot fix); or cut short by a
 * lost lease or a cancel, which is nobody's failure and counts as no attempt.
 */
type Outcome =
  /** `finished`: the step's success, not written yet (see `runStep`). */
  | { kind: 'succeeded'; finished: StepChange }
  | { kind: 'retrying' }
  | { kind: 'exhausted'; message: string }
  | { kind: 'interrupted' };

/** A failure as events, steps and the API show it: no row value, no connection string. */
const causeOf = (e: unknown) => safeErrorMessage(e);

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/**
 * Drives one claimed migration as far as it can go now: forward through the steps,
 * into cleanup once due, or backwards through the undos. Every transition is a
 * compare-and-set on the stored status, stored before the next begins, so a crash
 * anywhere resumes from the last stored state and a person's action that raced the
 * executor either wins or is refused, never both.
 */
export class MigrationRunner {
  constructor(
    private readonly options: {
      store: MigrationStore;
      connections: ConnectionRegistry;
      settings: ExecutorSettings;
      logger: LoggerService;
      /** The steps in order (default: STEPS); the runner's own tests pass others. */
      steps?: Step[];
      /**
       * Told when a migration is cut over and awaits cleanup (the consumer check starts
       * there); it must not throw, and the migration does not wait for it.
       */
      onCutOver?: (migration: { id: string; entityRef: string }) => void;
    },
  ) {}

  private get forwardSteps(): Step[] {
    return (this.options.steps ?? STEPS).filter(s => s.name !== 'cleanup');
  }

  private get cleanupStep(): Step {
    return (this.options.steps ?? STEPS).find(s => s.name === 'cleanup')!;
  }

  async run(
    migration: MigrationRecord,
    workerId: string,
    signal: AbortSignal,
  ): Promise<void> {
    const { store } = this.options;
    switch (migration.status) {
      case 'queued':
        if (
          await store.setStatus(migration.id, 'running', {
            expected: ['queued'],
            // The worker is for admins (the fleet page, the event's data), not the
            // owner reading the log.
            event: { type: 'status', message: 'Started', data: { workerId } },
          })
        ) {
          await this.forward(migration, workerId, signal);
        }
        return;
      case 'running':
        await this.forward(migration, workerId, signal);
        return;
      case 'awaiting_cleanup':
        // The grace period is over. Taking cleaning_up first is what makes a rollback
        // that arrives now a clean refusal instead of an undo racing the drops.
        if (
          await store.setStatus(migration.id, 'cleaning_up', {
            expected: ['awaiting_cleanup'],
            event: {
              type: 'status',
              message: 'Cleanup begins: the grace period is over',
            },
          })
        ) {
          await this.cleanup(migration, workerId, signal);
        }
        return;
      case 'cleaning_up':
        await this.cleanup(migration, workerId, signal);
        return;
      case 'rolling_back':
        await this.backward(migration, workerId, signal);
        return;
      default:
        return;
    }
  }

  private sides(migration: MigrationRecord): { source: Side; target: Side } {
    const { connections } = this.options;
    const side = (connection: string): Side => ({
      connection,
      knex: connections.get(connection),
      dialect: dialectFor(connections.config(connection).client),
    });
    return {
      source: side(migration.connection),
      target: side(migration.plan.target.connection),
    };
  }

  private context(
    migration: MigrationRecord,
    step: StepName,
    signal: AbortSignal,
    pending?: PendingProgress,
  ): StepContext {
    const { store, logger, connections } = this.options;
    // Only a step's runs write its checkpoint, each after marking the step started,
    // and a requeue clears both: a step not started when the migration was claimed
    // has none to read, until this context writes one.
    let mayHaveCheckpoint =
      migration.steps.find(s => s.name === step)?.startedAt !== null;
    return {
      migrationId: migration.id,
      entityRef: migration.entityRef,
      plan: migration.plan,
      ...this.sides(migration),
      foreignServer:
        migration.plan.compatibility === 'foreign-view'
          ? connections.foreignServerSettings(
              migration.connection,
              migration.plan.target.connection,
            )
          : undefined,
      signal,
      lockTimeoutMs: this.options.settings.lockTimeoutMs,
      logger: logger.child({ migrationId: migration.id, step }),
      checkpoint: async <T>() =>
        mayHaveCheckpoint
          ? ((await store.getCheckpoint(migration.id, step)) as T | undefined)
          : undefined,
      progress: async ({ done, total, unit, checkpoint, event }) => {
        if (pending && checkpoint === undefined && !event) {
          pending.defer({ done, total, unit });
          return;
        }
        // This write's own progress supersedes what waits.
        await pending?.settle();
        if (checkpoint !== undefined) mayHaveCheckpoint = true;
        await store.updateStep(
          migration.id,
          step,
          {
            progress: { done, total, unit },
            ...(checkpoint !== undefined ? { checkpoint } : {}),
          },
          event && {
            type: 'step.log',
            step,
            message: event.message,
            data: event.data,
          },
        );
      },
      event: async (message, data) => {
        await store.appendEvent(migration.id, {
          type: 'step.log',
          step,
          message,
          data,
        });
      },
    };
  }

  /**
   * One attempt at a step's `run`, for forward steps and cleanup alike: counts the
   * attempt, records the outcome, and on a retryable failure gives the lease back with
   * a backoff. A step found `running` was cut short by a crash: its next run is the
   * same attempt, not a new one, so crashes never use up a step's retries.
   *
   * A success is returned unwritten, for the caller to write with the next step's
   * start (`before`: one write at the step boundary) or on its own (`finish`). A crash
   * in between leaves the step running, and its resumed run is the same attempt.
   */
  private async runStep(
    migration: MigrationRecord,
    step: Step,
    workerId: string,
    signal: AbortSignal,
    before?: StepChange,
  ): Promise<Outcome> {
    const { store, settings } = this.options;
    const state = migration.steps.find(s => s.name === step.name)!;
    const wasCutShort = state.status === 'running';
    const attempt = wasCutShort
      ? Math.max(1, state.attempts)
      : state.attempts + 1;
    // The start and its event (and the step before's success) in one write.
    const start: StepChange = {
      step: step.name,
      update: {
        status: 'running',
        attempts: attempt,
        startedAt: new Date(),
        error: null,
      },
      event: {
        type: 'step.started',
        step: step.name,
        message: `${step.name} ${
          wasCutShort ? 'resumed after its worker was lost' : 'started'
        } (attempt ${attempt} of ${settings.maxAttempts})`,
        data: { attempt, workerId },
      },
    };
    if (before) await store.updateStepsAtBoundary(migration.id, before, start);
    else
      await store.updateStep(
        migration.id,
        step.name,
        start.update,
        start.event,
      );
    const pending = new PendingProgress(
      progress =>
        store
          .updateStep(migration.id, step.name, { progress })
          .then(() => undefined),
      e =>
        this.options.logger.warn(
          `Could not write the progress of ${step.name} of ${
            migration.entityRef
          }: ${causeOf(e)}`,
        ),
    );
    try {
      await step.run(this.context(migration, step.name, signal, pending));
    } catch (e) {
      const progress = await pending.settle();
      const cause = causeOf(e);
      const message = `Step ${step.name} of ${migration.entityRef} failed: ${cause}`;
      if (signal.aborted) {
        // Lease lost or cancelled: whoever holds the migration next takes over.
        await store.updateStep(migration.id, step.name, {
          status: 'pending',
          attempts: attempt - 1,
          error: cause,
          progress,
        });
        return { kind: 'interrupted' };
      }
      const isFinal =
        e instanceof PermanentStepError || attempt >= settings.maxAttempts;
      await store.updateStep(migration.id, step.name, {
        status: isFinal ? 'failed' : 'pending',
        finishedAt: isFinal ? new Date() : null,
        error: cause,
        progress,
      });
      if (isFinal) {
        return {
          kind: 'exhausted',
          message: `${message}. ${
            e instanceof PermanentStepError
              ? 'Retrying cannot fix this'
              : `Gave up after ${attempt} attempts`
          }`,
        };
      }
      await this.retryLater(migration, workerId, attempt, delay => ({
        type: 'step.retry',
        step: step.name,
        message: `${message}. Retrying in ${seconds(
          delay,
        )} s (attempt ${attempt} of ${settings.maxAttempts}).`,
        data: { attempt, delayMs: delay },
      }));
      return { kind: 'retrying' };
    }
    const progress = await pending.settle();
    return {
      kind: 'succeeded',
      finished: {
        step: step.name,
        update: {
          status: 'succeeded',
          finishedAt: new Date(),
          progress,
        },
        event: {
          type: 'step.succeeded',
          step: step.name,
          message: `${step.name} succeeded`,
          data: { attempt, workerId },
        },
      },
    };
  }

  /** Writes a step's success that no next step's start took along. */
  private async finish(migration: MigrationRecord, finished?: StepChange) {
    if (!finished) return;
    await this.options.store.updateStep(
      migration.id,
      finished.step,
      finished.update,
      finished.event,
    );
  }

  private async forward(
    migration: MigrationRecord,
    workerId: string,
    signal: AbortSignal,
  ) {
    const { store, settings } = this.options;
    let finished: StepChange | undefined;
    for (const step of this.forwardSteps) {
      const state = migration.steps.find(s => s.name === step.name);
      // Migrations queued before a step existed have no row for it: they go without.
      if (!state || state.status === 'succeeded') continue;
      if (signal.aborted) {
        await this.finish(migration, finished);
        return;
      }
      const outcome = await this.runStep(
        migration,
        step,
        workerId,
        signal,
        finished,
      );
      finished = undefined;
      if (outcome.kind === 'succeeded') {
        finished = outcome.finished;
        continue;
      }
      if (outcome.kind === 'exhausted') {
        const rolledBack = await store.setStatus(migration.id, 'rolling_back', {
          expected: ['running'],
          error: outcome.message,
          event: {
            type: 'retries.exhausted',
            step: step.name,
            message: `${outcome.message}; rolling back.`,
          },
        });
        if (rolledBack) {
          const fresh = await store.getMigration(migration.id);
          if (fresh) await this.backward(fresh, workerId, signal);
        }
      }
      return;
    }
    await this.finish(migration, finished);
    const runAfter = new Date(Date.now() + settings.cleanupGraceMs);
    const cutOver = await store.setStatus(migration.id, 'awaiting_cleanup', {
      expected: ['running'],
      runAfter,
      event: {
        type: 'status',
        message: `Cut over; the compatibility layer stays until ${runAfter.toISOString()} or until an owner finalizes`,
      },
    });
    if (cutOver) this.options.onCutOver?.(migration);
  }

  /**
   * Drops the compatibility layer and the backup, with the same retry policy as every
   * step; when retries are spent the migration stops at cleanup_failed, visibly, with
   * the cause: the new table keeps serving, and an owner finalizes again once fixed.
   */
  private async cleanup(
    migration: MigrationRecord,
    workerId: string,
    signal: AbortSignal,
  ) {
    const { store } = this.options;
    const outcome = await this.runStep(
      migration,
      this.cleanupStep,
      workerId,
      signal,
    );
    if (outcome.kind === 'succeeded') {
      await this.finish(migration, outcome.finished);
      await store.setStatus(migration.id, 'completed', {
        expected: ['cleaning_up'],
        event: { type: 'status', message: 'Completed' },
      });
    } else if (outcome.kind === 'exhausted') {
      const message = `${outcome.message}. The new table serves readers and writers; what cleanup had not dropped yet (the compatibility view or frozen source, the backup) is still there. Fix the cause, then finalize again.`;
      await store.setStatus(migration.id, 'cleanup_failed', {
        expected: ['cleaning_up'],
        error: message,
        runAfter: null,
        event: { type: 'cleanup.failed', step: 'cleanup', message },
      });
    }
  }

  /**
   * After a failure that a later try may fix: records why and when (the backoff for
   * the n-th failure, with jitter), and gives the lease back until then.
   */
  private async retryLater(
    migration: MigrationRecord,
    workerId: string,
    failures: number,
    event: (delayMs: number) => NewEvent,
  ): Promise<void> {
    const { store, settings } = this.options;
    const delay = backoffMs(
      failures,
      settings.retryBaseMs,
      settings.retryCapMs,
    );
    await store.appendEvent(migration.id, event(delay));
    await store.releaseLease(
      migration.id,
      workerId,
      new Date(Date.now() + delay),
    );
  }

  /**
   * Cutover's undo refused (the new table took writes an undo would lose): nothing has
   * been undone yet, so the migration goes back to awaiting cleanup, cut over as it
   * was, with the reason; it waits for an owner to finalize instead of cleaning up by
   * itself.
   */
  private async keepCutOver(migration: MigrationRecord, cause: string) {
    const { store } = this.options;
    await store.updateStep(migration.id, 'cutover', {
      status: 'succeeded',
      error: cause,
    });
    const message = `Rollback of ${migration.entityRef} refused; it stays cut over: ${cause}`;
    await store.setStatus(migration.id, 'awaiting_cleanup', {
      expected: ['rolling_back'],
      error: message,
      runAfter: null,
      event: { type: 'status', message },
    });
  }

  /**
   * Undoes every step that ran (or half-ran), newest first, then settles the final
   * status. An undo that fails is retried with the same backoff as a step; it is never
   * given up, since stopping half-way would leave the dataset in neither place.
   */
  private async backward(
    migration: MigrationRecord,
    workerId: string,
    signal: AbortSignal,
  ) {
    const { store } = this.options;
    for (const step of [...this.forwardSteps].reverse()) {
      const state = migration.steps.find(s => s.name === step.name);
      if (!state) continue;
      if (state.status === 'pending' && state.attempts === 0) continue;
      if (state.status === 'undone') continue;
      if (signal.aborted) return;
      await store.updateStep(migration.id, step.name, { status: 'undoing' });
      try {
        await step.undo(this.context(migration, step.name, signal));
      } catch (e) {
        const cause = causeOf(e);
        if (e instanceof PermanentStepError && step.name === 'cutover') {
          await this.keepCutOver(migration, cause);
          return;
        }
        const failures =
          (await store.countEvents(migration.id, 'undo.retry', step.name)) + 1;
        // The step keeps the error of its run; undo failures live in the events.
        await this.retryLater(migration, workerId, failures, delay => ({
          type: 'undo.retry',
          step: step.name,
          message: `Undoing ${step.name} of ${
            migration.entityRef
          } failed: ${cause}. Retrying in ${seconds(
            delay,
          )} s (failure ${failures}); the rollback goes on once it succeeds.`,
          data: { failures, delayMs: delay },
        }));
        return;
      }
      await store.updateStep(
        migration.id,
        step.name,
        { status: 'undone' },
        {
          type: 'step.undone',
          step: step.name,
          message: `${step.name} undone`,
        },
      );
    }
    const reason = await store.lastEventOf(
      migration.id,
      Object.keys(ROLLBACK_REASONS) as MigrationEventType[],
    );
    const status = (reason && ROLLBACK_REASONS[reason.type]) ?? 'rolled_back';
    await store.setStatus(migration.id, status, {
      expected: ['rolling_back'],
      event: {
        type: 'status',
        message: `Rolled back: the source is as it was (${status})`,
      },
    });
  }
}
