import { ConflictError, InputError } from '@backstage/errors';
import {
  FINAL_MIGRATION_STATUSES,
  FleetWorker,
  MIGRATION_STEPS,
  MigrationEvent,
  MigrationListQuery,
  MigrationPage,
  MigrationStats,
  MigrationStatus,
  StepName,
} from '@internal/backstage-plugin-dataset-migrations-common';
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type {
  MigrationRecord,
  MigrationStore,
  NewEvent,
  NewMigration,
  StepUpdate,
} from './MigrationStore';
import { toEvent, toRecord, toWorker } from './rows';

const M = 'dm_migrations';
const S = 'dm_steps';
const E = 'dm_events';
const A = 'dm_active_datasets';
const W = 'dm_workers';
const CLAIMABLE: MigrationStatus[] = ['queued', 'running', 'rolling_back'];

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; errno?: number; message?: string };
  return (
    err.code === '23505' || // PostgreSQL
    err.code === 'ER_DUP_ENTRY' || // MySQL/MariaDB
    err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    err.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(err.message ?? '')
  );
}

const encodeCursor = (createdAt: string, id: string) =>
  Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');

function decodeCursor(cursor: string): [Date, string] {
  try {
    const [createdAt, id] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    );
    const date = new Date(createdAt);
    if (typeof id !== 'string' || Number.isNaN(date.getTime()))
      throw new Error();
    return [date, id];
  } catch {
    throw new InputError(
      'cursor is not one this API returned; start again without it',
    );
  }
}

/** The plugin's tables through knex: SQLite, PostgreSQL or MySQL/MariaDB alike. */
export class KnexMigrationStore implements MigrationStore {
  constructor(private readonly db: Knex) {}

  private get isPostgres() {
    return this.db.client.config.client === 'pg';
  }

  async createMigration(input: NewMigration): Promise<MigrationRecord> {
    const id = crypto.randomUUID();
    const now = new Date();
    try {
      await this.db.transaction(async trx => {
        await trx(A).insert({ entity_ref: input.entityRef, migration_id: id });
        await trx(M).insert({
          id,
          entity_ref: input.entityRef,
          status: 'queued',
          connection: input.connection,
          owner_ref: input.ownerRef,
          agent_id: input.plan.agent.id,
          agent_version: input.plan.agent.version,
          plan_hash: input.plan.hash,
          plan_json: JSON.stringify(input.plan),
          created_by: input.createdBy,
          created_at: now,
          updated_at: now,
        });
        await trx(S).insert(
          MIGRATION_STEPS.map((name, position) => ({
            migration_id: id,
            name,
            position,
            status: 'pending',
            attempts: 0,
            progress_done: 0,
          })),
        );
        await trx(E).insert({
          migration_id: id,
          created_at: now,
          type: 'created',
          actor: input.createdBy,
          message: `Migration of ${input.entityRef} queued by ${
            input.createdBy
          } with plan ${input.plan.hash.slice(0, 12)} (${input.plan.agent.id}@${
            input.plan.agent.version
          })`,
        });
      });
    } catch (e) {
      if (isUniqueViolation(e)) {
        const active = await this.db(A)
          .where({ entity_ref: input.entityRef })
          .first();
        throw new ConflictError(
          `${input.entityRef} already has an active migration${
            active ? ` (${active.migration_id})` : ''
          }; wait for it to finish, or cancel it`,
        );
      }
      throw e;
    }
    return (await this.getMigration(id))!;
  }

  async getMigration(id: string): Promise<MigrationRecord | undefined> {
    const row = await this.db(M).where({ id }).first();
    if (!row) return undefined;
    const steps = await this.db(S).where({ migration_id: id });
    return toRecord(row, steps);
  }

  private filtered(query: MigrationListQuery) {
    const q = this.db(M);
    if (query.entityRef) q.where('entity_ref', query.entityRef);
    if (query.status) q.where('status', query.status);
    if (query.owner) q.where('owner_ref', query.owner);
    if (query.connection) q.where('connection', query.connection);
    if (query.createdAfter)
      q.where('created_at', '>=', new Date(query.createdAfter));
    if (query.createdBefore)
      q.where('created_at', '<', new Date(query.createdBefore));
    return q;
  }

  async listMigrations(query: MigrationListQuery): Promise<MigrationPage> {
    const limit = Math.min(Math.max(query.limit ?? 20, 1), 100);
    const q = this.filtered(query);
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor);
      q.where(b =>
        b
          .where('created_at', '<', createdAt)
          .orWhere(b2 =>
            b2.where('created_at', '=', createdAt).andWhere('id', '<', id),
          ),
      );
    }
    const rows = await q
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const steps = page.length
      ? await this.db(S).whereIn(
          'migration_id',
          page.map(r => r.id),
        )
      : [];
    const items = page.map(row => {
      const {
        plan: _p,
        leaseOwner: _o,
        leaseExpiresAt: _e,
        runAfter: _r,
        ...migration
      } = toRecord(
        { ...row, plan_json: 'null' },
        steps.filter(s => s.migration_id === row.id),
      );
      return migration;
    });
    const last = items[items.length - 1];
    return {
      items,
      nextCursor:
        rows.length > limit && last
          ? encodeCursor(last.createdAt, last.id)
          : null,
    };
  }

  async getStats(query: MigrationListQuery): Promise<MigrationStats> {
    const counts: Array<{ status: string; n: number | string }> =
      await this.filtered(query)
        .select('status')
        .count({ n: '*' })
        .groupBy('status');
    const byStatus: MigrationStats['byStatus'] = {};
    let total = 0;
    for (const row of counts) {
      byStatus[row.status as MigrationStatus] = Number(row.n);
      total += Number(row.n);
    }
    const finished =
      (byStatus.completed ?? 0) +
      (byStatus.failed ?? 0) +
      (byStatus.rolled_back ?? 0);
    const since = new Date(Date.now() - 30 * 86_400_000);
    // Bucketing by day in JS: the three engines spell date truncation differently.
    const recent = await this.filtered(query)
      .where('created_at', '>=', since)
      .select('created_at')
      .limit(100_000);
    const perDay = new Map<string, number>();
    for (const row of recent) {
      const day = new Date(row.created_at).toISOString().slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    return {
      total,
      byStatus,
      successRate: finished ? (byStatus.completed ?? 0) / finished : null,
      perDay: [...perDay.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([day, count]) => ({ day, count })),
    };
  }

  async setStatus(
    id: string,
    status: MigrationStatus,
    options: {
      error?: string | null;
      expected?: MigrationStatus[];
      runAfter?: Date | null;
    } = {},
  ): Promise<boolean> {
    return this.db.transaction(async trx => {
      const q = trx(M).where({ id });
      if (options.expected) q.whereIn('status', options.expected);
      const patch: Record<string, unknown> = { status, updated_at: new Date() };
      if (options.error !== undefined) patch.error = options.error;
      if (options.runAfter !== undefined) patch.run_after = options.runAfter;
      const changed = await q.update(patch);
      if (changed && FINAL_MIGRATION_STATUSES.includes(status)) {
        await trx(A).where({ migration_id: id }).delete();
      }
      return changed > 0;
    });
  }

  async requeue(id: string): Promise<boolean> {
    try {
      return await this.db.transaction(async trx => {
        const row = await trx(M)
          .where({ id })
          .whereIn('status', FINAL_MIGRATION_STATUSES as MigrationStatus[])
          .first();
        if (!row) return false;
        await trx(A).insert({ entity_ref: row.entity_ref, migration_id: id });
        await trx(S).where({ migration_id: id }).update({
          status: 'pending',
          started_at: null,
          finished_at: null,
          progress_done: 0,
          progress_total: null,
          checkpoint: null,
          error: null,
        });
        await trx(M).where({ id }).update({
          status: 'queued',
          error: null,
          run_after: null,
          updated_at: new Date(),
        });
        return true;
      });
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new ConflictError(
          'The dataset has another active migration now; wait for it to finish before retrying this one',
        );
      }
      throw e;
    }
  }

  async updateStep(
    id: string,
    step: StepName,
    update: StepUpdate,
  ): Promise<void> {
    const patch: Record<string, unknown> = {};
    if (update.status) patch.status = update.status;
    if (update.incrementAttempts) patch.attempts = this.db.raw('attempts + 1');
    if (update.startedAt !== undefined) patch.started_at = update.startedAt;
    if (update.finishedAt !== undefined) patch.finished_at = update.finishedAt;
    if (update.progress) {
      patch.progress_done = update.progress.done;
      if (update.progress.total !== undefined)
        patch.progress_total = update.progress.total;
      if (update.progress.unit !== undefined)
        patch.progress_unit = update.progress.unit;
    }
    if (update.checkpoint !== undefined)
      patch.checkpoint = JSON.stringify(update.checkpoint);
    if (update.error !== undefined) patch.error = update.error;
    if (Object.keys(patch).length === 0) return;
    await this.db(S).where({ migration_id: id, name: step }).update(patch);
    await this.db(M).where({ id }).update({ updated_at: new Date() });
  }

  async getCheckpoint(id: string, step: StepName): Promise<unknown> {
    const row = await this.db(S)
      .where({ migration_id: id, name: step })
      .select('checkpoint')
      .first();
    return row?.checkpoint ? JSON.parse(row.checkpoint) : undefined;
  }

  async appendEvent(
    migrationId: string,
    event: NewEvent,
  ): Promise<MigrationEvent> {
    const row = {
      migration_id: migrationId,
      created_at: new Date(),
      type: event.type,
      step: event.step ?? null,
      actor: event.actor ?? null,
      message: event.message,
      data: event.data ? JSON.stringify(event.data) : null,
    };
    const [inserted] = await this.db(E).insert(row, ['id']);
    const id = typeof inserted === 'object' ? inserted.id : inserted;
    return toEvent({ ...row, id });
  }

  async listEvents(
    migrationId: string,
    afterId = 0,
    limit = 500,
  ): Promise<MigrationEvent[]> {
    const rows = await this.db(E)
      .where({ migration_id: migrationId })
      .andWhere('id', '>', afterId)
      .orderBy('id')
      .limit(limit);
    return rows.map(toEvent);
  }

  async claimMigration(
    workerId: string,
    leaseMs: number,
  ): Promise<MigrationRecord | undefined> {
    const now = new Date();
    const expires = new Date(now.getTime() + leaseMs);
    const runnable = (q: Knex.QueryBuilder) =>
      q
        .where(b =>
          b
            .whereIn('status', CLAIMABLE)
            .orWhere(b2 =>
              b2.where('status', 'awaiting_cleanup').whereNotNull('run_after'),
            ),
        )
        .andWhere(b => b.whereNull('run_after').orWhere('run_after', '<=', now))
        .andWhere(b =>
          b.whereNull('lease_owner').orWhere('lease_expires_at', '<', now),
        );

    if (this.isPostgres) {
      const id = await this.db.transaction(async trx => {
        const row = await runnable(trx(M).select('id'))
          .orderBy('created_at')
          .limit(1)
          .forUpdate()
          .skipLocked()
          .first();
        if (!row) return undefined;
        await trx(M)
          .where({ id: row.id })
          .update({ lease_owner: workerId, lease_expires_at: expires });
        return row.id as string;
      });
      return id ? this.getMigration(id) : undefined;
    }
    // Others: a guarded conditional update; whoever changes the row owns the lease.
    const candidates = await runnable(this.db(M).select('id'))
      .orderBy('created_at')
      .limit(5);
    for (const { id } of candidates) {
      const changed = await this.db(M)
        .where({ id })
        .andWhere(b =>
          b.whereNull('lease_owner').orWhere('lease_expires_at', '<', now),
        )
        .update({ lease_owner: workerId, lease_expires_at: expires });
      if (changed === 1) return this.getMigration(id);
    }
    return undefined;
  }

  async renewLease(
    id: string,
    workerId: string,
    leaseMs: number,
  ): Promise<boolean> {
    const changed = await this.db(M)
      .where({ id, lease_owner: workerId })
      .update({ lease_expires_at: new Date(Date.now() + leaseMs) });
    return changed === 1;
  }

  async releaseLease(
    id: string,
    workerId: string,
    runAfter?: Date | null,
  ): Promise<void> {
    const patch: Record<string, unknown> = {
      lease_owner: null,
      lease_expires_at: null,
    };
    if (runAfter !== undefined) patch.run_after = runAfter;
    await this.db(M).where({ id, lease_owner: workerId }).update(patch);
  }

  async registerWorker(worker: {
    id: string;
    instanceId: string;
    agentVersions: string[];
  }): Promise<void> {
    const now = new Date();
    await this.db(W)
      .insert({
        id: worker.id,
        instance_id: worker.instanceId,
        started_at: now,
        heartbeat_at: now,
        agent_versions: JSON.stringify(worker.agentVersions),
        current_step: null,
      })
      .onConflict('id')
      .merge();
  }

  async heartbeatWorker(
    id: string,
    currentStep: { migrationId: string; step: StepName } | null,
  ): Promise<void> {
    await this.db(W)
      .where({ id })
      .update({
        heartbeat_at: new Date(),
        current_step: currentStep ? JSON.stringify(currentStep) : null,
      });
  }

  async removeWorker(id: string): Promise<void> {
    await this.db(W).where({ id }).delete();
  }

  async listWorkers(aliveWithinMs: number): Promise<FleetWorker[]> {
    const rows = await this.db(W)
      .where('heartbeat_at', '>=', new Date(Date.now() - aliveWithinMs))
      .orderBy('id');
    return rows.map(toWorker);
  }
}
