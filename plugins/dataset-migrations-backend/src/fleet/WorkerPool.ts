import type { LoggerService } from '@backstage/backend-plugin-api';
import crypto from 'node:crypto';
import os from 'node:os';
import type { ExecutorSettings } from '../execute/ExecutorSettings';
import type { MigrationRunner } from '../execute/MigrationRunner';
import type { MigrationStore } from '../store/MigrationStore';

/**
 * This instance's share of the fleet: `workerSlots` loops that claim runnable
 * migrations under a lease, renew it while they work, and give it up when done. A
 * lease that stops being renewed (a crashed process) expires and any worker, here or
 * on another instance, takes the migration over from its checkpoints.
 */
export class WorkerPool {
  /** `host:pid:nonce`: enough to tell, on this host, an earlier self that is gone. */
  private readonly instanceId = `${os.hostname()}:${process.pid}:${crypto
    .randomUUID()
    .slice(0, 8)}`;
  private stopped = false;
  /** When this instance last freed the leases of silent workers. */
  private lastSweepAt = 0;
  private wakeUp: Array<() => void> = [];
  private readonly loops: Promise<void>[] = [];

  constructor(
    private readonly options: {
      store: MigrationStore;
      runner: MigrationRunner;
      settings: ExecutorSettings;
      logger: LoggerService;
      agentVersions: string[];
    },
  ) {}

  /** How often a busy worker renews its lease and heartbeat. */
  private get heartbeatMs() {
    return Math.max(
      200,
      Math.min(2_000, Math.floor(this.options.settings.leaseMs / 3)),
    );
  }

  /**
   * A worker silent for this long is gone (crashed, killed, its host lost): its leases
   * are freed then, long before they would expire, and the migration resumes elsewhere.
   */
  private get lostAfterMs() {
    return Math.min(this.options.settings.leaseMs, this.heartbeatMs * 5);
  }

  start(): void {
    this.loops.push(this.reclaimEarlierSelves());
    for (let slot = 0; slot < this.options.settings.workerSlots; slot++) {
      const workerId = `${this.instanceId}/${slot}`;
      this.loops.push(this.loop(workerId));
    }
  }

  /** New work was queued here: idle workers look now instead of at their next poll. */
  notify(): void {
    const waiting = this.wakeUp;
    this.wakeUp = [];
    waiting.forEach(wake => wake());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.notify();
    await Promise.all(this.loops);
  }

  /**
   * An instance that restarted takes back at once what its earlier self on this host
   * held: same host, and its process is no longer running (or it is this very pid, as
   * in a container restarted in place). Other hosts' workers are left to heartbeats.
   */
  private async reclaimEarlierSelves(): Promise<void> {
    const { store, logger } = this.options;
    const host = os.hostname();
    try {
      const gone = (await store.listInstanceIds()).filter(id => {
        const [idHost, pid] = id.split(':');
        if (id === this.instanceId || idHost !== host || !/^\d+$/.test(pid)) {
          return false;
        }
        return Number(pid) === process.pid || !isProcessRunning(Number(pid));
      });
      const freed = await store.releaseInstanceLeases(gone);
      if (freed > 0) {
        logger.info(
          `Took back ${freed} migration lease(s) held by this host's earlier instance(s) ${gone.join(
            ', ',
          )}`,
        );
      }
    } catch (e) {
      logger.warn(`Could not take back leases of earlier instances: ${e}`);
    }
  }

  /**
   * Frees the leases of silent workers, at most once a heartbeat for the whole
   * instance: every slot looks before it claims, but the sweep is one UPDATE over the
   * migrations table, not worth repeating per slot and per poll.
   */
  private async releaseLostLeases(): Promise<void> {
    const now = Date.now();
    if (now - this.lastSweepAt < this.heartbeatMs) return;
    this.lastSweepAt = now;
    await this.options.store.releaseLostLeases(
      new Date(now - this.lostAfterMs),
    );
  }

  private idle(): Promise<void> {
    return new Promise(resolve => {
      const timer = setTimeout(resolve, this.options.settings.pollIntervalMs);
      this.wakeUp.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private async loop(workerId: string): Promise<void> {
    const { store, logger, agentVersions } = this.options;
    // A crashed loop is restarted: one bad migration must not take a slot away for good.
    while (!this.stopped) {
      try {
        await store.registerWorker({
          id: workerId,
          instanceId: this.instanceId,
          agentVersions,
        });
        while (!this.stopped) {
          await this.releaseLostLeases();
          const claimed = await store.claimMigration(
            workerId,
            this.options.settings.leaseMs,
          );
          if (!claimed) {
            await store.heartbeatWorker(workerId, null);
            await this.idle();
            continue;
          }
          await this.work(workerId, claimed.id);
        }
      } catch (e) {
        logger.error(`Worker ${workerId} failed and restarts: ${e}`);
        await new Promise(r =>
          setTimeout(r, this.options.settings.pollIntervalMs),
        );
      }
    }
    await store.removeWorker(workerId).catch(() => undefined);
  }

  private async work(workerId: string, migrationId: string): Promise<void> {
    const { store, runner, settings, logger } = this.options;
    const migration = await store.getMigration(migrationId);
    if (!migration) return;
    const controller = new AbortController();
    const isForward =
      migration.status === 'running' || migration.status === 'queued';
    const currentStep = () =>
      migration.steps.find(s => s.status !== 'succeeded')?.name ?? 'cleanup';
    await store.heartbeatWorker(workerId, { migrationId, step: currentStep() });

    // Renew the lease; stop the step when it was lost or the migration was cancelled.
    const renew = setInterval(async () => {
      try {
        const held = await store.renewLease(
          migrationId,
          workerId,
          settings.leaseMs,
        );
        const state = await store.getState(migrationId);
        await store.heartbeatWorker(workerId, {
          migrationId,
          step: state?.runningStep ?? currentStep(),
        });
        if (!held)
          controller.abort(
            new Error(`Lease on migration ${migrationId} was lost`),
          );
        else if (isForward && state?.status === 'rolling_back') {
          controller.abort(
            new Error('The migration is being cancelled or rolled back'),
          );
        }
      } catch (e) {
        logger.warn(`Could not renew lease of ${migrationId}: ${e}`);
      }
    }, this.heartbeatMs);

    try {
      await runner.run(migration, workerId, controller.signal);
      await store.releaseLease(migrationId, workerId);
    } catch (e) {
      const message = `Migration ${migration.entityRef} (${migrationId}) hit an error outside its steps: ${e}`;
      logger.error(message, { migrationId });
      await store
        .appendEvent(migrationId, { type: 'worker.error', message })
        .catch(() => undefined);
      await store
        .releaseLease(
          migrationId,
          workerId,
          new Date(Date.now() + settings.retryBaseMs),
        )
        .catch(() => undefined);
    } finally {
      clearInterval(renew);
    }
  }
}

/** Whether a process of this host is running (signal 0 checks without signalling). */
function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
