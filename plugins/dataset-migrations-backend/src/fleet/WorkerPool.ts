import type { LoggerService } from '@backstage/backend-plugin-api';
import crypto from 'node:crypto';
import os from 'node:os';
import type { ExecutorSettings } from '../execute/ExecutorSettings';
import type { MigrationRunner } from '../execute/MigrationRunner';
import { safeErrorMessage } from '../errors/safeErrorMessage';
import type { MigrationRecord, MigrationStore } from '../store/MigrationStore';
import { CopyRate } from './CopyRate';
import { fleetTimings, restartBackoffMs } from './fleetTimings';

/**
 * This instance's share of the fleet: `workerSlots` loops that claim runnable
 * migrations under a lease, renew it while they work, and give it up when done. A
 * lease that stops being renewed (a crashed process) expires and any worker, here or
 * on another instance, takes the migration over from its checkpoints. The instance
 * itself heartbeats too, marks silent instances lost, and restarts a worker loop that
 * crashes (an error outside any step), counting the restart in the store.
 */
export class WorkerPool {
  /** `host:pid:nonce`: enough to tell, on this host, an earlier self that is gone. */
  private readonly host = os.hostname();
  private readonly instanceId = `${this.host}:${process.pid}:${crypto
    .randomUUID()
    .slice(0, 8)}`;
  private stopped = false;
  /** Ends restart backoffs and the instance heartbeat's waits at stop. */
  private readonly stopping = new AbortController();
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

  /** How often the instance and a busy worker heartbeat (and renew leases). */
  private get heartbeatMs() {
    return fleetTimings(this.options.settings).heartbeatMs;
  }

  start(): void {
    this.loops.push(this.reclaimEarlierSelves());
    this.loops.push(this.heartbeatLoop());
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
    this.stopping.abort();
    this.notify();
    await Promise.all(this.loops);
    // A clean stop leaves the fleet at once; only a silent instance shows as lost.
    await this.options.store
      .removeInstance(this.instanceId)
      .catch(() => undefined);
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
   * The instance's heartbeat, and the sweep after it: once a heartbeat for the whole
   * instance (not per slot and poll, the sweep is one UPDATE over the migrations
   * table), free the leases of silent workers and mark silent instances lost.
   */
  private async heartbeatLoop(): Promise<void> {
    const { store, settings, logger, agentVersions } = this.options;
    const { lostAfterMs, forgetLostAfterMs } = fleetTimings(settings);
    while (!this.stopped) {
      try {
        await store.heartbeatInstance({
          id: this.instanceId,
          host: this.host,
          pid: process.pid,
          workerSlots: settings.workerSlots,
          agentVersions,
        });
        const now = Date.now();
        const freed = await store.releaseLostLeases(
          new Date(now - lostAfterMs),
        );
        const lost = await store.markLostInstances(
          new Date(now - lostAfterMs),
          new Date(now - forgetLostAfterMs),
        );
        for (const id of lost) {
          logger.warn(
            `Instance ${id} stopped heartbeating for ${lostAfterMs} ms and is marked lost; its workers' leases are freed and their migrations resume from their checkpoints`,
          );
        }
        if (freed > 0) {
          logger.info(`Freed ${freed} lease(s) of silent workers`);
        }
      } catch (e) {
        logger.warn(
          `Instance ${this.instanceId} could not heartbeat: ${safeErrorMessage(
            e,
          )}`,
        );
      }
      await this.pause(this.heartbeatMs);
    }
  }

  /** Waits `ms`, or less when the pool stops. */
  private pause(ms: number): Promise<void> {
    const signal = this.stopping.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise(resolve => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    });
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
    const { store, logger, agentVersions, settings } = this.options;
    let crashesInARow = 0;
    // A crashed loop is restarted: one bad migration or a store hiccup must not take a
    // slot away for good. Step failures never get here (the runner retries them).
    while (!this.stopped) {
      try {
        await store.registerWorker({
          id: workerId,
          instanceId: this.instanceId,
          agentVersions,
        });
        while (!this.stopped) {
          const claimed = await store.claimMigration(
            workerId,
            settings.leaseMs,
          );
          crashesInARow = 0;
          if (!claimed) {
            await store.heartbeatWorker(workerId, null);
            await this.idle();
            continue;
          }
          await this.work(workerId, claimed);
        }
      } catch (e) {
        crashesInARow++;
        const backoffMs = restartBackoffMs(
          crashesInARow,
          settings.pollIntervalMs,
        );
        const reason = safeErrorMessage(e);
        logger.error(
          `Worker ${workerId} crashed and restarts in ${backoffMs} ms: ${reason}`,
          { workerId },
        );
        await store
          .recordWorkerRestart(workerId, reason)
          .catch(err =>
            logger.warn(
              `Could not count the restart of worker ${workerId}: ${safeErrorMessage(
                err,
              )}`,
            ),
          );
        await this.pause(backoffMs);
      }
    }
    await store.removeWorker(workerId).catch(() => undefined);
  }

  /** Runs a migration just claimed (as the claim read it, under this worker's lease). */
  private async work(
    workerId: string,
    migration: MigrationRecord,
  ): Promise<void> {
    const { store, runner, settings, logger } = this.options;
    const migrationId = migration.id;
    const controller = new AbortController();
    const isForward =
      migration.status === 'running' || migration.status === 'queued';
    const currentStep = () =>
      migration.steps.find(s => s.status !== 'succeeded')?.name ?? 'cleanup';
    await store.heartbeatWorker(workerId, { migrationId, step: currentStep() });
    const copyRate = new CopyRate();

    // Renew the lease; stop the step when it was lost or the migration was cancelled.
    // Awaited when the work ends, so a renewal still in flight cannot report the
    // finished step after the worker went idle.
    let renewing: Promise<void> = Promise.resolve();
    const renewOnce = async () => {
      try {
        const held = await store.renewLease(
          migrationId,
          workerId,
          settings.leaseMs,
        );
        const state = await store.getState(migrationId);
        const step = state?.runningStep ?? currentStep();
        const rowsPerSecond =
          state?.progress?.unit === 'rows'
            ? copyRate.sample(step, state.progress.done)
            : null;
        await store.heartbeatWorker(
          workerId,
          { migrationId, step },
          rowsPerSecond,
        );
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
    };
    const renew = setInterval(() => {
      renewing = renewing.then(renewOnce);
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
      await renewing;
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
