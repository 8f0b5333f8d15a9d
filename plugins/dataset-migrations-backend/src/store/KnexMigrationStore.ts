import { isDatabaseConflictError } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import {
  CampaignCapLoad,
  FINAL_MIGRATION_STATUSES,
  MIGRATION_STATUSES,
  FleetInstance,
  FleetWorker,
  MIGRATION_STEPS,
  MigrationEvent,
  MigrationListQuery,
  MigrationOrderBy,
  MigrationPage,
  MigrationStats,
  MigrationStatus,
  isTransitionAllowed,
  Plan,
  StepName,
} from '@internal/backstage-plugin-dataset-migrations-common';
import crypto from 'node:crypto';
import type { Knex } from 'knex';
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
import { activeTableRows, tableKey, tableRef } from './activeTables';
import {
  campaignDatasetPatch,
  campaignReplanPatch,
  syncCampaignDataset,
} from './campaignSync';
import { claimedToStart, holdsAPlace, readCapState } from './capLoads';
import { RAN_STATUSES } from './ranStatuses';
import { claimQueued, claimStarted } from './claim';
import { ConcurrencyCaps, DEFAULT_CONCURRENCY_CAPS } from './concurrencyCaps';
import {
  heartbeatInstance,
  listInstances,
  markLostInstances,
} from './fleetInstances';
import { readMigrationStats } from './migrationStats';
import {
  decodeKeysetCursor,
  encodeKeysetCursor,
  orderByKeyset,
  whereAfter,
  whereContains,
} from './keysetPage';
import { iso, toEvent, toRecord, toWorker } from './rows';

const M = 'dm_migrations';
const S = 'dm_steps';
const E = 'dm_events';
const A = 'dm_active_tables';
const W = 'dm_workers';
const CAMPAIGN_DATASETS = 'dm_campaign_datasets';

function eventRow(migrationId: string, event: NewEvent) {
  return {
    migration_id: migrationId,
    created_at: new Date(),
    type: event.type,
    step: event.step ?? null,
    actor: event.actor ?? null,
    message: event.message,
    data: event.data ? JSON.stringify(event.data) : null,
  };
}

/** The column behind each order `GET /migrations` offers (each names a Migration field). */
const COLUMN_OF: Record<MigrationOrderBy, string> = {
  createdAt: 'created_at',
  status: 'status',
  entityRef: 'entity_ref',
  createdBy: 'created_by',
};

/** The cursor's value as the column compares it: created_at binds as a date. */
function keysetValue(orderBy: MigrationOrderBy, value: string): string | Date {
  if (orderBy !== 'createdAt') return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new InputError(
      'cursor is not one this API returned; start again without it',
    );
  return date;
}

/** A step's update as the columns of dm_steps it sets. */
function stepPatch(update: StepUpdate): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  if (update.status) patch.status = update.status;
  if (update.attempts !== undefined) patch.attempts = update.attempts;
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
  return patch;
}

/** The plugin's tables through knex: SQLite, PostgreSQL or MySQL/MariaDB alike. */
export class KnexMigrationStore implements MigrationStore {
  private readonly caps: ConcurrencyCaps;

  constructor(
    private readonly db: Knex,
    options: { caps?: ConcurrencyCaps } = {},
  ) {
    this.caps = options.caps ?? DEFAULT_CONCURRENCY_CAPS;
  }

  private get isPostgres() {
    return this.db.client.config.client === 'pg';
  }

  async createMigration(input: NewMigration): Promise<MigrationRecord> {
    const id = crypto.randomUUID();
    const now = new Date();
    const row = {
      id,
      entity_ref: input.entityRef,
      status: 'queued',
      connection: input.connection,
      owner_ref: input.ownerRef,
      agent_id: input.plan.agent.id,
      agent_version: input.plan.agent.version,
      target_connection: input.plan.target.connection,
      source_ref: tableRef(input.plan.source),
      target_ref: tableRef(input.plan.target),
      campaign_id: input.campaignId ?? null,
      plan_hash: input.plan.hash,
      plan_json: JSON.stringify(input.plan),
      created_by: input.createdBy,
      created_at: now,
      updated_at: now,
    };
    const steps = MIGRATION_STEPS.map((name, position) => ({
      migration_id: id,
      name,
      position,
      status: 'pending',
      attempts: 0,
      progress_done: 0,
    }));
    const held = activeTableRows(input.plan, id);
    const created = {
      migration_id: id,
      created_at: now,
      type: 'created',
      actor: input.createdBy,
      message: `Migration of ${input.entityRef} queued by ${
        input.createdBy
      } with plan ${input.plan.hash.slice(0, 12)} (${input.plan.agent.id}@${
        input.plan.agent.version
      })`,
    };
    // The campaign's dataset points at its migration from the same commit.
    const linked = input.campaignId
      ? {
          where: { campaign_id: input.campaignId, entity_ref: input.entityRef },
          patch: { migration_id: id, state: 'queued', updated_at: now },
        }
      : undefined;
    try {
      if (this.isPostgres) {
        // One statement, the writes as data-modifying CTEs (see updateStepAtOnce):
        // as atomic as the transaction below, in one round trip instead of seven.
        let q = this.db
          .with('held', this.db(A).insert(held, ['migration_id']))
          .with('created', this.db(M).insert(row, ['id']))
          .with('stepped', this.db(S).insert(steps, ['migration_id']));
        if (linked) {
          q = q.with(
            'linked',
            this.db('dm_campaign_datasets')
              .where(linked.where)
              .update(linked.patch, ['entity_ref']),
          );
        }
        await q.insert(created).into(E);
      } else {
        await this.db.transaction(async trx => {
          await trx(A).insert(held);
          await trx(M).insert(row);
          await trx(S).insert(steps);
          if (linked) {
            await trx('dm_campaign_datasets')
              .where(linked.where)
              .update(linked.patch);
          }
          await trx(E).insert(created);
        });
      }
    } catch (e) {
      if (isDatabaseConflictError(e)) {
        throw await this.tableConflict(input.entityRef, input.plan);
      }
      throw e;
    }
    // What was just written, not read back: the campaign loop queues many at a time.
    return {
      ...toRecord({ ...row, plan_json: null }, steps),
      plan: input.plan,
    };
  }

  /** Names the table another active migration holds, and that migration. */
  private async tableConflict(
    entityRef: string,
    plan: Plan,
  ): Promise<ConflictError> {
    const rows = activeTableRows(plan, '');
    const held = await this.db(A)
      .join(M, `${M}.id`, `${A}.migration_id`)
      .whereIn(
        `${A}.table_key`,
        rows.map(r => r.table_key),
      )
      .select(
        `${A}.table_key`,
        `${A}.table_ref`,
        `${M}.id`,
        `${M}.entity_ref`,
        `${M}.status`,
      )
      .first();
    if (!held) {
      return new ConflictError(
        `Another migration took a table of ${entityRef} at the same moment; try again once it has finished`,
      );
    }
    const side = held.table_key === tableKey(plan.source) ? 'source' : 'target';
    const who =
      held.entity_ref === entityRef
        ? `${entityRef} already has an active migration`
        : `its ${side} table ${held.table_ref} is already being migrated for ${held.entity_ref}`;
    return new ConflictError(
      `Cannot migrate ${entityRef}: ${who} (${held.id}, ${held.status}); wait for it to finish, or cancel it`,
    );
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
    if (query.search)
      whereContains(q, ['entity_ref', 'created_by', 'status'], query.search);
    return q;
  }

  async listMigrations(query: MigrationListQuery): Promise<MigrationPage> {
    const limit = Math.min(Math.max(query.limit ?? 20, 1), 100);
    const orderBy = query.orderBy ?? 'createdAt';
    const order = query.order ?? 'desc';
    const keyset = { column: COLUMN_OF[orderBy], tie: 'id', order };
    const q = this.filtered(query);
    if (query.cursor) {
      const at = decodeKeysetCursor(query.cursor, orderBy, order);
      whereAfter(this.db, q, keyset, {
        value: keysetValue(orderBy, at.value),
        id: at.id,
      });
    }
    // Ties in the column (many migrations share a status) are broken by id in the same
    // direction, so the order is total and a page boundary never skips or repeats a row.
    orderByKeyset(q, keyset);
    const rows = await q.limit(limit + 1);
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
          ? encodeKeysetCursor(orderBy, order, {
              value: last[orderBy],
              id: last.id,
            })
          : null,
    };
  }

  getStats(query: MigrationListQuery): Promise<MigrationStats> {
    return readMigrationStats(this.db, () => this.filtered(query));
  }

  async listCompletedMoves(entityRef: string): Promise<CompletedMove[]> {
    // Over the (entity_ref, created_at) index: a dataset has few migrations.
    const rows = await this.db(M)
      .where({ entity_ref: entityRef, status: 'completed' })
      .select('id', 'source_ref', 'target_ref', 'updated_at')
      .orderBy([
        { column: 'updated_at', order: 'asc' },
        { column: 'created_at', order: 'asc' },
      ]);
    return rows.map(row => ({
      migrationId: row.id,
      source: row.source_ref,
      target: row.target_ref,
      completedAt: iso(row.updated_at)!,
    }));
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
    for (const from of options.expected) {
      if (!isTransitionAllowed(from, status)) {
        throw new Error(
          `Bug: the migration state machine has no transition from ${from} to ${status}`,
        );
      }
    }
    const now = new Date();
    const patch: Record<string, unknown> = { status, updated_at: now };
    if (options.error !== undefined) patch.error = options.error;
    if (options.runAfter !== undefined) patch.run_after = options.runAfter;
    // The start rate of campaigns counts these.
    if (status === 'running' && options.expected.includes('queued')) {
      patch.started_at = now;
    }
    // The rollout gates read a version's runs that ended in their window.
    if (RAN_STATUSES.includes(status)) patch.finished_at = now;
    if (this.isPostgres) {
      return this.setStatusAtOnce(id, status, options, patch, now);
    }
    return this.db.transaction(async trx => {
      const changed = await trx(M)
        .where({ id })
        .whereIn('status', options.expected as MigrationStatus[])
        .update(patch);
      if (!changed) return { changed: false };
      await syncCampaignDataset(
        trx,
        id,
        status,
        now,
        options.replanCampaignDataset,
      );
      if (FINAL_MIGRATION_STATUSES.includes(status)) {
        await trx(A).where({ migration_id: id }).delete();
      }
      if (options.resetSteps?.length) {
        await trx(S)
          .where({ migration_id: id })
          .whereIn('name', options.resetSteps)
          .update({ status: 'pending', attempts: 0, error: null });
      }
      if (!options.event) return { changed: true };
      const [inserted] = await trx(E).insert(eventRow(id, options.event), [
        'id',
      ]);
      return {
        changed: true,
        eventId: Number(typeof inserted === 'object' ? inserted.id : inserted),
      };
    });
  }

  /**
   * setStatus on PostgreSQL as one statement: the compare-and-set on the status, and
   * only if it changed a row (each write below reads the ids the first returns), the
   * campaign dataset's state, the freed tables, the reset steps and the event. As
   * atomic as the transaction it replaces, in one round trip instead of five or six.
   */
  private async setStatusAtOnce(
    id: string,
    status: MigrationStatus,
    options: StatusChange,
    patch: Record<string, unknown>,
    now: Date,
  ): Promise<{ changed: boolean; eventId?: number }> {
    const db = this.db;
    const changedIds = () => db.select('id').from('changed');
    let q = db
      .with(
        'changed',
        db(M)
          .where({ id })
          .whereIn('status', options.expected as MigrationStatus[])
          .update(patch, ['id']),
      )
      .with(
        'synced',
        db(CAMPAIGN_DATASETS)
          .whereIn('migration_id', changedIds())
          .update(
            options.replanCampaignDataset === undefined
              ? campaignDatasetPatch(status, now)
              : campaignReplanPatch(options.replanCampaignDataset, now),
            ['migration_id'],
          ),
      );
    if (FINAL_MIGRATION_STATUSES.includes(status)) {
      q = q.with(
        'freed',
        db(A).whereIn('migration_id', changedIds()).delete(['migration_id']),
      );
    }
    if (options.resetSteps?.length) {
      q = q.with(
        'reset',
        db(S)
          .whereIn('migration_id', changedIds())
          .whereIn('name', options.resetSteps)
          .update({ status: 'pending', attempts: 0, error: null }, [
            'migration_id',
          ]),
      );
    }
    if (options.event) {
      const row = eventRow(id, options.event);
      const columns = Object.keys(row);
      q = q.with(
        'logged',
        db.raw(
          `INSERT INTO ?? (${columns
            .map(() => '??')
            .join(', ')}) SELECT ${columns
            .map(() => '?')
            .join(', ')} FROM ?? RETURNING ??`,
          [
            E,
            ...columns,
            ...columns.map(c => (row as Record<string, Knex.Value>)[c]),
            'changed',
            'id',
          ],
        ),
      );
    }
    // The event's id comes back with the change (no event: NULL).
    const rows: Array<{ id: string; event_id: number | string | null }> =
      await q
        .select(
          'id',
          options.event
            ? db.raw('(SELECT ?? FROM ??) AS ??', ['id', 'logged', 'event_id'])
            : db.raw('NULL AS ??', ['event_id']),
        )
        .from('changed');
    if (rows.length === 0) return { changed: false };
    const eventId = rows[0].event_id;
    return eventId === null
      ? { changed: true }
      : { changed: true, eventId: Number(eventId) };
  }

  async requeue(id: string, event?: NewEvent): Promise<boolean> {
    const row = await this.db(M).where({ id }).first();
    // Only from the statuses the state machine lets back into the queue.
    const from = MIGRATION_STATUSES.filter(status =>
      isTransitionAllowed(status, 'queued'),
    );
    if (!row || !from.includes(row.status)) return false;
    const plan: Plan = JSON.parse(row.plan_json);
    try {
      return await this.db.transaction(async trx => {
        const changed = await trx(M)
          .where({ id })
          .whereIn('status', from)
          .update({
            status: 'queued',
            error: null,
            run_after: null,
            started_at: null,
            updated_at: new Date(),
          });
        if (!changed) return false;
        await syncCampaignDataset(trx, id, 'queued', new Date());
        await trx(A).insert(activeTableRows(plan, id));
        await trx(S).where({ migration_id: id }).update({
          status: 'pending',
          started_at: null,
          finished_at: null,
          progress_done: 0,
          progress_total: null,
          checkpoint: null,
          error: null,
        });
        if (event) await trx(E).insert(eventRow(id, event));
        return true;
      });
    } catch (e) {
      if (isDatabaseConflictError(e)) {
        throw await this.tableConflict(row.entity_ref, plan);
      }
      throw e;
    }
  }

  async updateStep(
    id: string,
    step: StepName,
    update: StepUpdate,
    event?: NewEvent,
  ): Promise<number | undefined> {
    const patch = stepPatch(update);
    if (Object.keys(patch).length === 0 && !event) return undefined;
    if (this.isPostgres) return this.updateStepAtOnce(id, step, patch, event);
    // With an event, one transaction: a crash cannot leave a step succeeded without
    // its event (or the event without the status).
    return this.db.transaction(async trx => {
      if (Object.keys(patch).length > 0) {
        await trx(S).where({ migration_id: id, name: step }).update(patch);
      }
      await trx(M).where({ id }).update({ updated_at: new Date() });
      if (!event) return undefined;
      const [inserted] = await trx(E).insert(eventRow(id, event), ['id']);
      return Number(typeof inserted === 'object' ? inserted.id : inserted);
    });
  }

  async updateStepsAtBoundary(
    id: string,
    finished: StepChange,
    started: StepChange,
  ): Promise<number> {
    const changes = [finished, started];
    if (this.isPostgres) {
      // As updateStepAtOnce: every write a data-modifying CTE of one statement.
      let q = this.db.with(
        'touched',
        this.db(M).where({ id }).update({ updated_at: new Date() }, ['id']),
      );
      changes.forEach((change, i) => {
        q = q.with(
          `stepped${i}`,
          this.db(S)
            .where({ migration_id: id, name: change.step })
            .update(stepPatch(change.update), ['migration_id']),
        );
      });
      const inserted: Array<{ id: number | string }> = await q
        .insert(
          changes.map(change => eventRow(id, change.event)),
          ['id'],
        )
        .into(E);
      return Math.max(...inserted.map(row => Number(row.id)));
    }
    return this.db.transaction(async trx => {
      let last = 0;
      for (const change of changes) {
        await trx(S)
          .where({ migration_id: id, name: change.step })
          .update(stepPatch(change.update));
        const [inserted] = await trx(E).insert(eventRow(id, change.event), [
          'id',
        ]);
        last = Number(typeof inserted === 'object' ? inserted.id : inserted);
      }
      await trx(M).where({ id }).update({ updated_at: new Date() });
      return last;
    });
  }

  /**
   * updateStep on PostgreSQL as one statement (the writes as data-modifying CTEs, which
   * run to completion whether or not the statement reads them): as atomic as the
   * transaction, in one round trip instead of up to five. Every step of every
   * migration passes here several times, so on a fleet of small tables these round
   * trips are much of the executor's own time.
   */
  private async updateStepAtOnce(
    id: string,
    step: StepName,
    patch: Record<string, unknown>,
    event?: NewEvent,
  ): Promise<number | undefined> {
    const touch = this.db(M)
      .where({ id })
      .update({ updated_at: new Date() }, ['id']);
    const hasPatch = Object.keys(patch).length > 0;
    if (!event) {
      if (!hasPatch) return undefined;
      await this.db
        .with('touched', touch)
        .from(S)
        .where({ migration_id: id, name: step })
        .update(patch);
      return undefined;
    }
    let q = this.db.with('touched', touch);
    if (hasPatch) {
      q = q.with(
        'stepped',
        this.db(S)
          .where({ migration_id: id, name: step })
          .update(patch, ['migration_id']),
      );
    }
    const [inserted] = await q.insert(eventRow(id, event), ['id']).into(E);
    return Number(inserted.id);
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
    const row = eventRow(migrationId, event);
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

  async lastEventOf(
    migrationId: string,
    types: string[],
  ): Promise<MigrationEvent | undefined> {
    const row = await this.db(E)
      .where({ migration_id: migrationId })
      .whereIn('type', types)
      .orderBy('id', 'desc')
      .first();
    return row ? toEvent(row) : undefined;
  }

  async countEvents(
    migrationId: string,
    type: string,
    step?: StepName,
  ): Promise<number> {
    const q = this.db(E).where({ migration_id: migrationId, type });
    if (step) q.where({ step });
    const [{ n }] = await q.count({ n: '*' });
    return Number(n);
  }

  /**
   * Started migrations first (they hold their place under the caps already), then the
   * oldest queued one whose start keeps every cap; see claim.ts.
   */
  async claimMigration(
    workerId: string,
    leaseMs: number,
  ): Promise<MigrationRecord | undefined> {
    const now = new Date();
    const expires = new Date(now.getTime() + leaseMs);
    const claimed =
      (await claimStarted(this.db, this.isPostgres, {
        workerId,
        expires,
        now,
      })) ??
      (await claimQueued(this.db, this.isPostgres, this.caps, {
        workerId,
        expires,
      }));
    if (!claimed) return undefined;
    if (!claimed.row) return this.getMigration(claimed.id);
    // PostgreSQL returned the leased row: only its steps are left to read.
    const steps = await this.db(S).where({ migration_id: claimed.id });
    return toRecord(claimed.row, steps);
  }

  async capLoads(campaignId?: string): Promise<CampaignCapLoad[]> {
    const { loads } = await readCapState(this.db, this.caps, new Date());
    const others = loads.filter(load => !load.scope.startsWith('campaign:'));
    if (!campaignId) return loads;
    const campaign = await this.db('dm_campaigns')
      .where({ id: campaignId })
      .select('max_running')
      .first();
    if (!campaign) return others;
    const own = loads.find(load => load.scope === `campaign:${campaignId}`);
    const running =
      own?.running ??
      (await this.countRunning(this.db(M).where('campaign_id', campaignId)));
    return [
      { scope: 'campaign', cap: Number(campaign.max_running), running },
      ...others,
    ];
  }

  /**
   * The campaign's migrations started in the last 60 s, and the queued ones a worker
   * claimed and is about to start (live lease): what its start rate counts. Any
   * campaign, active or not; the claim reads the active ones' in readCapState.
   */
  async startsLastMinute(campaignId: string): Promise<number> {
    const now = new Date();
    const [{ n }] = await this.db(M)
      .where('campaign_id', campaignId)
      .where(b =>
        b
          .where('started_at', '>=', new Date(now.getTime() - 60_000))
          .orWhere(b2 => claimedToStart(b2, now)),
      )
      .count({ n: '*' });
    return Number(n);
  }

  /** Running in the caps' sense (see readCapState), of the migrations `q` selects. */
  private async countRunning(q: Knex.QueryBuilder): Promise<number> {
    const [{ n }] = await holdsAPlace(q, new Date()).count({ n: '*' });
    return Number(n);
  }

  async getState(id: string): Promise<MigrationState | undefined> {
    const row = await this.db(M).where({ id }).select('status').first();
    if (!row) return undefined;
    const running = await this.db(S)
      .where({ migration_id: id })
      .whereIn('status', ['running', 'undoing'])
      .select('name', 'progress_done', 'progress_unit')
      .first();
    return {
      status: row.status,
      runningStep: running?.name ?? null,
      progress: running
        ? {
            done: Number(running.progress_done),
            unit: running.progress_unit ?? null,
          }
        : null,
    };
  }

  async releaseLostLeases(staleBefore: Date): Promise<number> {
    // A lease whose owner has no worker row with a recent heartbeat belongs to a
    // process that is gone: free it now instead of waiting for it to expire.
    return this.db(M)
      .whereNotNull('lease_owner')
      .whereNotExists(
        this.db(W)
          .select(this.db.raw('1'))
          .whereRaw('??.?? = ??.??', [W, 'id', M, 'lease_owner'])
          .andWhere('heartbeat_at', '>=', staleBefore),
      )
      .update({ lease_owner: null, lease_expires_at: null });
  }

  async releaseInstanceLeases(instanceIds: string[]): Promise<number> {
    if (instanceIds.length === 0) return 0;
    return this.db.transaction(async trx => {
      const workers = trx(W).whereIn('instance_id', instanceIds).select('id');
      const freed = await trx(M)
        .whereIn('lease_owner', workers)
        .update({ lease_owner: null, lease_expires_at: null });
      await trx(W).whereIn('instance_id', instanceIds).delete();
      await trx('dm_instances').whereIn('id', instanceIds).delete();
      return freed;
    });
  }

  async listInstanceIds(): Promise<string[]> {
    const workers = await this.db(W).distinct('instance_id');
    const instances = await this.db('dm_instances').select('id');
    return [
      ...new Set([
        ...workers.map(r => r.instance_id),
        ...instances.map(r => r.id),
      ]),
    ];
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
        state: 'idle',
        rows_per_second: null,
      })
      .onConflict('id')
      // A loop that restarts registers again: its slot's start and restarts stay.
      .merge([
        'instance_id',
        'heartbeat_at',
        'agent_versions',
        'current_step',
        'state',
        'rows_per_second',
      ]);
  }

  async heartbeatWorker(
    id: string,
    currentStep: { migrationId: string; step: StepName } | null,
    rowsPerSecond: number | null = null,
  ): Promise<void> {
    await this.db(W)
      .where({ id })
      .update({
        heartbeat_at: new Date(),
        current_step: currentStep ? JSON.stringify(currentStep) : null,
        state: currentStep ? 'running' : 'idle',
        rows_per_second: currentStep ? rowsPerSecond : null,
      });
  }

  async recordWorkerRestart(id: string, error: string): Promise<void> {
    const now = new Date();
    await this.db(W)
      .where({ id })
      .update({
        state: 'restarting',
        restarts: this.db.raw('?? + 1', ['restarts']),
        last_restart_at: now,
        last_error: error.slice(0, 1000),
        heartbeat_at: now,
        current_step: null,
        rows_per_second: null,
      });
  }

  heartbeatInstance(instance: InstanceHeartbeat): Promise<void> {
    return heartbeatInstance(this.db, instance);
  }

  async removeInstance(id: string): Promise<void> {
    await this.db('dm_instances').where({ id }).delete();
  }

  markLostInstances(staleBefore: Date, forgetBefore: Date): Promise<string[]> {
    return markLostInstances(this.db, staleBefore, forgetBefore);
  }

  listInstances(lostBefore: Date): Promise<FleetInstance[]> {
    return listInstances(this.db, lostBefore);
  }

  async queueLength(): Promise<number> {
    const [{ n }] = await this.db(M)
      .where('status', 'queued')
      .count({ n: '*' });
    return Number(n);
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
