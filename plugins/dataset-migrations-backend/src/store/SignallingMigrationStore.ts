import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  CampaignCapLoad,
  FleetInstance,
  FleetWorker,
  MIGRATIONS_SIGNAL_CHANNEL,
  MigrationEvent,
  MigrationEventSignal,
  MigrationEventType,
  MigrationListQuery,
  MigrationListSignal,
  MigrationPage,
  MigrationStats,
  MigrationStatus,
  migrationSignalChannel,
  StepName,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type {
  CompletedMove,
  InstanceHeartbeat,
  MigrationRecord,
  MigrationState,
  MigrationStore,
  NewEvent,
  NewMigration,
  StatusChange,
  StepChange,
  StepUpdate,
} from './MigrationStore';

/**
 * A MigrationStore that signals every event it writes, so open pages fetch what is new
 * instead of polling. It sits on the store because the store is the one place events
 * are written: whoever appends one (runner, service, worker pool, a future campaign)
 * signals it without knowing signals exist, and a new event-writing method must be
 * added here, where the compiler asks whether it signals.
 *
 * Signals are broadcast (see `signals.ts` in -common): a message holds the migration's
 * id and the new event's id, never its text or status, which only the
 * permission-checked API returns. Publishing is best effort: a failed publish is
 * logged and never fails the write; pages catch up on the next signal or replay.
 */
export class SignallingMigrationStore implements MigrationStore {
  constructor(
    private readonly store: MigrationStore,
    private readonly signals: SignalsService,
    private readonly logger: LoggerService,
  ) {}

  async createMigration(input: NewMigration): Promise<MigrationRecord> {
    const record = await this.store.createMigration(input);
    this.signalListChange(record.id);
    return record;
  }

  async setStatus(
    id: string,
    status: MigrationStatus,
    options: StatusChange,
  ): Promise<boolean> {
    return (await this.setStatusWithEvent(id, status, options)).changed;
  }

  async setStatusWithEvent(
    id: string,
    status: MigrationStatus,
    options: StatusChange,
  ): Promise<{ changed: boolean; eventId?: number }> {
    const result = await this.store.setStatusWithEvent(id, status, options);
    if (result.changed) {
      this.signalListChange(id);
      if (result.eventId !== undefined) this.signalEvent(id, result.eventId);
      else if (options.event)
        await this.signalLastEventOf(id, options.event.type);
    }
    return result;
  }

  async requeue(id: string, event?: NewEvent): Promise<boolean> {
    const changed = await this.store.requeue(id, event);
    if (changed) {
      this.signalListChange(id);
      if (event) await this.signalLastEventOf(id, event.type);
    }
    return changed;
  }

  async appendEvent(
    migrationId: string,
    event: NewEvent,
  ): Promise<MigrationEvent> {
    const appended = await this.store.appendEvent(migrationId, event);
    this.signalEvent(migrationId, appended.id);
    return appended;
  }

  // Everything below writes no event: straight through.

  getMigration(id: string): Promise<MigrationRecord | undefined> {
    return this.store.getMigration(id);
  }
  listMigrations(query: MigrationListQuery): Promise<MigrationPage> {
    return this.store.listMigrations(query);
  }
  getStats(query: MigrationListQuery): Promise<MigrationStats> {
    return this.store.getStats(query);
  }
  listCompletedMoves(entityRef: string): Promise<CompletedMove[]> {
    return this.store.listCompletedMoves(entityRef);
  }
  async updateStep(
    id: string,
    step: StepName,
    update: StepUpdate,
    event?: NewEvent,
  ): Promise<number | undefined> {
    const eventId = await this.store.updateStep(id, step, update, event);
    if (eventId !== undefined) this.signalEvent(id, eventId);
    return eventId;
  }
  async updateStepsAtBoundary(
    id: string,
    finished: StepChange,
    started: StepChange,
  ): Promise<number> {
    const eventId = await this.store.updateStepsAtBoundary(
      id,
      finished,
      started,
    );
    // Followers fetch every event after the last they saw: the last id covers both.
    this.signalEvent(id, eventId);
    return eventId;
  }
  getCheckpoint(id: string, step: StepName): Promise<unknown> {
    return this.store.getCheckpoint(id, step);
  }
  listEvents(
    migrationId: string,
    afterId?: number,
    limit?: number,
  ): Promise<MigrationEvent[]> {
    return this.store.listEvents(migrationId, afterId, limit);
  }
  lastEventOf(
    migrationId: string,
    types: MigrationEventType[],
  ): Promise<MigrationEvent | undefined> {
    return this.store.lastEventOf(migrationId, types);
  }
  countEvents(
    migrationId: string,
    type: string,
    step?: StepName,
  ): Promise<number> {
    return this.store.countEvents(migrationId, type, step);
  }
  claimMigration(
    workerId: string,
    leaseMs: number,
  ): Promise<MigrationRecord | undefined> {
    return this.store.claimMigration(workerId, leaseMs);
  }
  capLoads(campaignId?: string): Promise<CampaignCapLoad[]> {
    return this.store.capLoads(campaignId);
  }
  startsLastMinute(campaignId: string): Promise<number> {
    return this.store.startsLastMinute(campaignId);
  }
  getState(id: string): Promise<MigrationState | undefined> {
    return this.store.getState(id);
  }
  releaseLostLeases(staleBefore: Date): Promise<number> {
    return this.store.releaseLostLeases(staleBefore);
  }
  releaseInstanceLeases(instanceIds: string[]): Promise<number> {
    return this.store.releaseInstanceLeases(instanceIds);
  }
  listInstanceIds(): Promise<string[]> {
    return this.store.listInstanceIds();
  }
  renewLease(id: string, workerId: string, leaseMs: number): Promise<boolean> {
    return this.store.renewLease(id, workerId, leaseMs);
  }
  releaseLease(
    id: string,
    workerId: string,
    runAfter?: Date | null,
  ): Promise<void> {
    return this.store.releaseLease(id, workerId, runAfter);
  }
  registerWorker(worker: {
    id: string;
    instanceId: string;
    agentVersions: string[];
  }): Promise<void> {
    return this.store.registerWorker(worker);
  }
  heartbeatWorker(
    id: string,
    currentStep: { migrationId: string; step: StepName } | null,
    rowsPerSecond?: number | null,
  ): Promise<void> {
    return this.store.heartbeatWorker(id, currentStep, rowsPerSecond);
  }
  recordWorkerRestart(id: string, error: string): Promise<void> {
    return this.store.recordWorkerRestart(id, error);
  }
  removeWorker(id: string): Promise<void> {
    return this.store.removeWorker(id);
  }
  listWorkers(aliveWithinMs: number): Promise<FleetWorker[]> {
    return this.store.listWorkers(aliveWithinMs);
  }
  heartbeatInstance(instance: InstanceHeartbeat): Promise<void> {
    return this.store.heartbeatInstance(instance);
  }
  removeInstance(id: string): Promise<void> {
    return this.store.removeInstance(id);
  }
  markLostInstances(staleBefore: Date, forgetBefore: Date): Promise<string[]> {
    return this.store.markLostInstances(staleBefore, forgetBefore);
  }
  listInstances(lostBefore: Date): Promise<FleetInstance[]> {
    return this.store.listInstances(lostBefore);
  }
  queueLength(): Promise<number> {
    return this.store.queueLength();
  }

  /**
   * requeue appends its event in its own transaction and does not return it: its id is
   * read back (one indexed query). A newer event of the same type only makes the hint
   * newer. setStatus returns its event's id, read back only if it did not.
   */
  private async signalLastEventOf(id: string, type: MigrationEventType) {
    try {
      const event = await this.store.lastEventOf(id, [type]);
      if (event) this.signalEvent(id, event.id);
    } catch (error) {
      this.logger.warn(
        `Could not signal the new event of migration ${id}: ${error}`,
        { migrationId: id },
      );
    }
  }

  private signalEvent(migrationId: string, eventId: number) {
    this.publish<MigrationEventSignal>(migrationSignalChannel(migrationId), {
      migrationId,
      eventId,
    });
  }

  private signalListChange(migrationId: string) {
    this.publish<MigrationListSignal>(MIGRATIONS_SIGNAL_CHANNEL, {
      migrationId,
    });
  }

  private publish<T extends MigrationEventSignal | MigrationListSignal>(
    channel: string,
    message: T,
  ) {
    this.signals
      .publish({ recipients: { type: 'broadcast' }, channel, message })
      .catch(error =>
        this.logger.warn(
          `Could not publish signal on ${channel}; open pages catch up on the next one: ${error}`,
          { migrationId: message.migrationId },
        ),
      );
  }
}
