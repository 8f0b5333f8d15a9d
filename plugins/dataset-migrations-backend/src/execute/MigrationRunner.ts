import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  MigrationStatus,
  StepName,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { dialectFor } from '../plan/dialects';
import type { MigrationRecord, MigrationStore } from '../store/MigrationStore';
import { backoffMs } from './backoff';
import type { ExecutorSettings } from './ExecutorSettings';
import { STEPS } from './steps';
import { PermanentStepError, Side, StepContext } from './steps/Step';

/** Why a rollback runs, and the status it ends in. */
export const ROLLBACK_REASONS: Record<string, MigrationStatus> = {
  'cancel.requested': 'cancelled',
  'rollback.requested': 'rolled_back',
  'retries.exhausted': 'failed',
};

const FORWARD = STEPS.filter(s => s.name !== 'cleanup');

/**
 * Drives one claimed migration as far as it can go now: forward through the steps,
 * into cleanup once due, or backwards through the undos. Every transition is stored
 * before the next begins, so a crash anywhere resumes from the last stored state.
 */
export class MigrationRunner {
  constructor(
    private readonly options: {
      store: MigrationStore;
      connections: ConnectionRegistry;
      settings: ExecutorSettings;
      logger: LoggerService;
    },
  ) {}

  async run(
    migration: MigrationRecord,
    workerId: string,
    signal: AbortSignal,
  ): Promise<void> {
    const { store } = this.options;
    switch (migration.status) {
      case 'queued':
        await store.setStatus(migration.id, 'running', {
          expected: ['queued'],
        });
        await store.appendEvent(migration.id, {
          type: 'status',
          message: `Started by worker ${workerId}`,
        });
        await this.forward(migration, workerId, signal);
        return;
      case 'running':
        await this.forward(migration, workerId, signal);
        return;
      case 'awaiting_cleanup':
        await this.cleanup(migration, workerId, signal);
        return;
      case 'rolling_back':
        await this.backward(migration, signal);
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
  ): StepContext {
    const { store, logger, connections } = this.options;
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
      logger: logger.child({ migrationId: migration.id, step }),
      checkpoint: async <T>() =>
        (await store.getCheckpoint(migration.id, step)) as T | undefined,
      progress: async ({ done, total, unit, checkpoint }) => {
        await store.updateStep(migration.id, step, {
          progress: { done, total, unit },
          ...(checkpoint !== undefined ? { checkpoint } : {}),
        });
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

  private async forward(
    migration: MigrationRecord,
    workerId: string,
    signal: AbortSignal,
  ) {
    const { store, settings } = this.options;
    for (const step of FORWARD) {
      const state = migration.steps.find(s => s.name === step.name);
      // Migrations queued before a step existed have no row for it: they go without.
      if (!state || state.status === 'succeeded') continue;
      if (signal.aborted) return;
      const attempt = state.attempts + 1;
      await store.updateStep(migration.id, step.name, {
        status: 'running',
        incrementAttempts: true,
        startedAt: new Date(),
        error: null,
      });
      await store.appendEvent(migration.id, {
        type: 'step.started',
        step: step.name,
        message: `${step.name} started (attempt ${attempt}) on worker ${workerId}`,
        data: { attempt, workerId },
      });
      try {
        await step.run(this.context(migration, step.name, signal));
      } catch (e) {
        const cause = e instanceof Error ? e.message : String(e);
        const message = `Step ${step.name} of ${migration.entityRef} failed: ${cause}`;
        if (signal.aborted) {
          // Lease lost or cancelled: whoever holds the migration next takes over.
          await store.updateStep(migration.id, step.name, {
            status: 'pending',
            error: cause,
          });
          return;
        }
        const isFinal =
          e instanceof PermanentStepError || attempt >= settings.maxAttempts;
        await store.updateStep(migration.id, step.name, {
          status: isFinal ? 'failed' : 'pending',
          finishedAt: isFinal ? new Date() : null,
          error: cause,
        });
        if (isFinal) {
          await store.appendEvent(migration.id, {
            type: 'retries.exhausted',
            step: step.name,
            message: `${message}. ${
              e instanceof PermanentStepError
                ? 'Retrying cannot fix this'
                : `Gave up after ${attempt} attempts`
            }; rolling back.`,
          });
          await store.setStatus(migration.id, 'rolling_back', {
            error: message,
            expected: ['running'],
          });
          const fresh = await store.getMigration(migration.id);
          if (fresh) await this.backward(fresh, signal);
        } else {
          const delay = backoffMs(
            attempt,
            settings.retryBaseMs,
            settings.retryCapMs,
          );
          await store.appendEvent(migration.id, {
            type: 'step.retry',
            step: step.name,
            message: `${message}. Retrying in ${
              Math.round(delay / 100) / 10
            } s (attempt ${attempt} of ${settings.maxAttempts}).`,
            data: { attempt, delayMs: delay },
          });
          await store.releaseLease(
            migration.id,
            workerId,
            new Date(Date.now() + delay),
          );
        }
        return;
      }
      await store.updateStep(migration.id, step.name, {
        status: 'succeeded',
        finishedAt: new Date(),
      });
      await store.appendEvent(migration.id, {
        type: 'step.succeeded',
        step: step.name,
        message: `${step.name} succeeded`,
        data: { attempt, workerId },
      });
    }
    const runAfter = new Date(Date.now() + settings.cleanupGraceMs);
    await store.setStatus(migration.id, 'awaiting_cleanup', {
      expected: ['running'],
      runAfter,
    });
    await store.appendEvent(migration.id, {
      type: 'status',
      message: `Cut over; the compatibility layer stays until ${runAfter.toISOString()} or until an owner finalizes`,
    });
  }

  private async cleanup(
    migration: MigrationRecord,
    workerId: string,
    signal: AbortSignal,
  ) {
    const { store } = this.options;
    const step = STEPS.find(s => s.name === 'cleanup')!;
    await store.updateStep(migration.id, 'cleanup', {
      status: 'running',
      incrementAttempts: true,
      startedAt: new Date(),
    });
    await store.appendEvent(migration.id, {
      type: 'step.started',
      step: 'cleanup',
      message: `cleanup started on worker ${workerId}`,
    });
    try {
      await step.run(this.context(migration, 'cleanup', signal));
    } catch (e) {
      const cause = e instanceof Error ? e.message : String(e);
      await store.updateStep(migration.id, 'cleanup', {
        status: 'pending',
        error: cause,
      });
      await store.appendEvent(migration.id, {
        type: 'step.retry',
        step: 'cleanup',
        message: `Cleanup of ${migration.entityRef} failed: ${cause}; retrying`,
      });
      await store.releaseLease(
        migration.id,
        workerId,
        new Date(Date.now() + this.options.settings.retryBaseMs),
      );
      return;
    }
    await store.updateStep(migration.id, 'cleanup', {
      status: 'succeeded',
      finishedAt: new Date(),
    });
    await store.appendEvent(migration.id, {
      type: 'step.succeeded',
      step: 'cleanup',
      message: 'cleanup succeeded',
    });
    await store.setStatus(migration.id, 'completed', {
      expected: ['awaiting_cleanup'],
    });
    await store.appendEvent(migration.id, {
      type: 'status',
      message: 'Completed',
    });
  }

  /** Undoes every step that ran (or half-ran), newest first, then settles the final status. */
  private async backward(migration: MigrationRecord, signal: AbortSignal) {
    const { store } = this.options;
    for (const step of [...FORWARD].reverse()) {
      const state = migration.steps.find(s => s.name === step.name);
      if (!state) continue;
      if (state.status === 'pending' && state.attempts === 0) continue;
      if (state.status === 'undone') continue;
      if (signal.aborted) return;
      await store.updateStep(migration.id, step.name, { status: 'undoing' });
      await step.undo(this.context(migration, step.name, signal));
      await store.updateStep(migration.id, step.name, { status: 'undone' });
      await store.appendEvent(migration.id, {
        type: 'step.undone',
        step: step.name,
        message: `${step.name} undone`,
      });
    }
    const events = await store.listEvents(migration.id);
    const reason = [...events].reverse().find(e => e.type in ROLLBACK_REASONS);
    const status = reason ? ROLLBACK_REASONS[reason.type] : 'rolled_back';
    await store.setStatus(migration.id, status, { expected: ['rolling_back'] });
    await store.appendEvent(migration.id, {
      type: 'status',
      message: `Rolled back: the source is as it was (${status})`,
    });
  }
}
