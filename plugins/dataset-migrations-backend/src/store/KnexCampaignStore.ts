import {
  Campaign,
  CAMPAIGN_DATASET_STATES,
  CampaignBlockedReason,
  CampaignBurndownPoint,
  CampaignConsumerCounts,
  CampaignDataset,
  CampaignDatasetPage,
  CampaignDatasetQuery,
  CampaignDatasetState,
  CampaignOwnerRow,
  CampaignStatus,
  ConsumerStatus,
  DatasetCampaignMembership,
  FINAL_MIGRATION_STATUSES,
  FINISHED_CAMPAIGN_DATASET_STATES,
  MigrationStatus,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type {
  ActiveCampaign,
  CampaignStore,
  DatasetToNotify,
  DatasetToPlan,
  DatasetToQueue,
  NewCampaign,
  NewCampaignDataset,
  PlanOutcome,
} from './CampaignStore';
import { campaignReplanPatch, REPLANNED_WITHDRAWN } from './campaignSync';
import {
  decodeKeysetCursor,
  encodeKeysetCursor,
  orderByKeyset,
  whereAfter,
  whereContains,
} from './keysetPage';
import { iso } from './rows';

const C = 'dm_campaigns';
const D = 'dm_campaign_datasets';
const M = 'dm_migrations';
const R = 'dm_consumer_reports';
const FINISHED = FINISHED_CAMPAIGN_DATASET_STATES as CampaignDatasetState[];
/** States owners are told about: asked to approve, their dataset failed or awaits cleanup. */
const NOTIFIED: CampaignDatasetState[] = [
  'awaiting_approval',
  'failed',
  'awaiting_cleanup',
];
const INSERT_BATCH = 500;

type Row = Record<string, any>;

function emptyCounts(): Record<CampaignDatasetState, number> {
  return Object.fromEntries(CAMPAIGN_DATASET_STATES.map(s => [s, 0])) as Record<
    CampaignDatasetState,
    number
  >;
}

function toCampaign(
  row: Row,
  counts: Record<CampaignDatasetState, number>,
): Campaign {
  return {
    ...toCampaignSettings(row),
    counts,
    total: Object.values(counts).reduce((a, b) => a + b, 0),
  };
}

function toCampaignSettings(row: Row): ActiveCampaign {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    statusReason: row.status_reason ?? null,
    selector: JSON.parse(row.selector_json),
    agentId: row.agent_id,
    mode: row.mode,
    pacing: {
      maxRunning: Number(row.max_running),
      startsPerMinute: Number(row.starts_per_minute),
    },
    failureBudget: {
      window: Number(row.budget_window),
      maxFailureRate: Number(row.budget_max_failure_rate),
    },
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

function toDataset(row: Row): CampaignDataset {
  return {
    campaignId: row.campaign_id,
    entityRef: row.entity_ref,
    ownerRef: row.owner_ref ?? null,
    state: row.state,
    reason: row.reason ?? null,
    planHash: row.plan_hash ?? null,
    migrationId: row.migration_id ?? null,
    approvedBy: row.approved_by ?? null,
    updatedAt: iso(row.updated_at)!,
  };
}

function toDatasetToPlan(row: Row): DatasetToPlan {
  return {
    campaignId: row.campaign_id,
    entityRef: row.entity_ref,
    agentId: row.agent_id,
    mode: row.mode,
  };
}

/** Campaigns and their datasets through knex: SQLite, PostgreSQL or MySQL/MariaDB alike. */
export class KnexCampaignStore implements CampaignStore {
  constructor(private readonly db: Knex) {}

  async createCampaign(
    campaign: NewCampaign,
    datasets: NewCampaignDataset[],
  ): Promise<Campaign> {
    const id = crypto.randomUUID();
    const now = new Date();
    await this.db.transaction(async trx => {
      await trx(C).insert({
        id,
        name: campaign.name,
        status: 'active',
        status_reason: null,
        selector_json: JSON.stringify(campaign.selector),
        agent_id: campaign.agentId,
        mode: campaign.mode,
        max_running: campaign.pacing.maxRunning,
        starts_per_minute: campaign.pacing.startsPerMinute,
        budget_window: campaign.failureBudget.window,
        budget_max_failure_rate: campaign.failureBudget.maxFailureRate,
        created_by: campaign.createdBy,
        created_at: now,
        updated_at: now,
      });
      const rows = datasets.map(d => ({
        campaign_id: id,
        entity_ref: d.entityRef,
        owner_ref: d.ownerRef,
        source_connection: d.sourceConnection,
        state: d.skippedReason ? 'skipped' : 'matched',
        reason: d.skippedReason ?? null,
        reason_code: d.skippedReason ? 'already-in-campaign' : null,
        updated_at: now,
        finished_at: d.skippedReason ? now : null,
      }));
      for (let i = 0; i < rows.length; i += INSERT_BATCH) {
        await trx(D).insert(rows.slice(i, i + INSERT_BATCH));
      }
    });
    return (await this.getCampaign(id))!;
  }

  private async countsFor(
    ids: string[],
  ): Promise<Map<string, Record<CampaignDatasetState, number>>> {
    const result = new Map<string, Record<CampaignDatasetState, number>>();
    for (const id of ids) result.set(id, emptyCounts());
    if (!ids.length) return result;
    const rows: Row[] = await this.db(D)
      .whereIn('campaign_id', ids)
      .select('campaign_id', 'state')
      .count({ n: '*' })
      .groupBy('campaign_id', 'state');
    for (const row of rows) {
      const counts = result.get(row.campaign_id)!;
      counts[row.state as CampaignDatasetState] = Number(row.n);
    }
    return result;
  }

  async getCampaign(id: string): Promise<Campaign | undefined> {
    const row = await this.db(C).where({ id }).first();
    if (!row) return undefined;
    return toCampaign(row, (await this.countsFor([id])).get(id)!);
  }

  async listCampaigns(limit: number): Promise<Campaign[]> {
    const rows: Row[] = await this.db(C)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    const counts = await this.countsFor(rows.map(r => r.id));
    return rows.map(r => toCampaign(r, counts.get(r.id)!));
  }

  async setCampaignStatus(
    id: string,
    expected: readonly CampaignStatus[],
    status: CampaignStatus,
    reason: string | null,
  ): Promise<boolean> {
    const changed = await this.db(C)
      .where({ id })
      .whereIn('status', expected as CampaignStatus[])
      .update({ status, status_reason: reason, updated_at: new Date() });
    return changed === 1;
  }

  async listActiveCampaigns(): Promise<ActiveCampaign[]> {
    const rows: Row[] = await this.db(C).where({ status: 'active' });
    return rows.map(toCampaignSettings);
  }

  async burndown(id: string, points: number): Promise<CampaignBurndownPoint[]> {
    const campaign = await this.db(C)
      .where({ id })
      .select('created_at')
      .first();
    if (!campaign) return [];
    const start = new Date(iso(campaign.created_at)!).getTime();
    const end = Math.max(Date.now(), start + 1000);
    const times = Array.from({ length: points }, (_, i) =>
      Math.round(start + ((end - start) * i) / Math.max(points - 1, 1)),
    );
    // One pass over the campaign's rows, however many: a sum per point in time.
    const sums = times.map(
      (_, i) =>
        `SUM(CASE WHEN finished_at IS NOT NULL AND finished_at <= ? THEN 1 ELSE 0 END) AS p${i}`,
    );
    const row: Row = await this.db(D)
      .where({ campaign_id: id })
      .select(
        this.db.raw(`COUNT(*) AS total, ${sums.join(', ')}`, [
          ...times.map(t => new Date(t)),
        ]),
      )
      .first();
    const total = Number(row?.total ?? 0);
    return times.map((t, i) => ({
      at: new Date(t).toISOString(),
      remaining: total - Number(row?.[`p${i}`] ?? 0),
    }));
  }

  async blockedReasons(
    id: string,
    examples: number,
  ): Promise<CampaignBlockedReason[]> {
    const groups: Row[] = await this.db(D)
      .where({ campaign_id: id, state: 'blocked' })
      .select('reason_code')
      .count({ n: '*' })
      .groupBy('reason_code')
      .orderBy('n', 'desc');
    return Promise.all(
      groups.map(async g => {
        const rows: Row[] = await this.db(D)
          .where({
            campaign_id: id,
            state: 'blocked',
            reason_code: g.reason_code,
          })
          .orderBy('entity_ref')
          .limit(examples)
          .select('entity_ref', 'reason');
        return {
          code: g.reason_code,
          count: Number(g.n),
          examples: rows.map(r => ({
            entityRef: r.entity_ref,
            message: r.reason ?? '',
          })),
        };
      }),
    );
  }

  async owners(id: string, limit: number): Promise<CampaignOwnerRow[]> {
    const sum = (condition: string, bindings: string[]) =>
      this.db.raw(`SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`, bindings);
    const rows: Row[] = await this.db(D)
      .where({ campaign_id: id })
      .select('owner_ref')
      .count({ total: '*' })
      .select({
        remaining: sum(
          `state NOT IN (${FINISHED.map(() => '?').join(', ')})`,
          FINISHED,
        ),
        awaiting: sum('state = ?', ['awaiting_approval']),
        blocked: sum('state = ?', ['blocked']),
        failed: sum('state = ?', ['failed']),
      })
      .groupBy('owner_ref')
      .orderBy([
        { column: 'remaining', order: 'desc' },
        { column: 'owner_ref', order: 'asc' },
      ])
      .limit(limit);
    return rows.map(r => ({
      ownerRef: r.owner_ref ?? '(no owner)',
      total: Number(r.total),
      remaining: Number(r.remaining ?? 0),
      awaitingApproval: Number(r.awaiting ?? 0),
      blocked: Number(r.blocked ?? 0),
      failed: Number(r.failed ?? 0),
    }));
  }

  async consumerCounts(id: string): Promise<CampaignConsumerCounts> {
    // One aggregate over the reports of each dataset's current migration (a dataset
    // cancelled and migrated again counts its latest migration's consumers only).
    const count = (status: ConsumerStatus) =>
      this.db.raw(`SUM(CASE WHEN ${R}.status = ? THEN 1 ELSE 0 END)`, [status]);
    const row: Row | undefined = await this.db(D)
      .join(R, `${R}.migration_id`, `${D}.migration_id`)
      .where(`${D}.campaign_id`, id)
      .count({ total: '*' })
      .select({
        verified: count('verified'),
        needsReview: count('needs-review'),
        repointed: count('repointed'),
        prOpen: count('pr-open'),
      })
      .first();
    return {
      total: Number(row?.total ?? 0),
      verified: Number(row?.verified ?? 0),
      needsReview: Number(row?.needsReview ?? 0),
      repointed: Number(row?.repointed ?? 0),
      prOpen: Number(row?.prOpen ?? 0),
    };
  }

  async listDatasets(
    id: string,
    query: CampaignDatasetQuery,
  ): Promise<CampaignDatasetPage> {
    const limit = query.limit ?? 50;
    const orderBy = query.orderBy ?? 'entityRef';
    const order = query.order ?? 'asc';
    // A dataset without an owner sorts as the empty text, first in ascending order:
    // NULLs would sort differently on each engine and fail every comparison.
    const column = {
      entityRef: 'entity_ref',
      state: 'state',
      owner: this.db.raw("coalesce(owner_ref, '')"),
    }[orderBy];
    const keyset = { column, tie: 'entity_ref', order };
    let q = this.db(D).where({ campaign_id: id });
    if (query.state) q = q.where({ state: query.state });
    if (query.owner) q = q.where({ owner_ref: query.owner });
    if (query.search)
      whereContains(q, ['entity_ref', 'owner_ref'], query.search);
    if (query.cursor) {
      const at = decodeKeysetCursor(query.cursor, orderBy, order);
      whereAfter(this.db, q, keyset, at);
    }
    orderByKeyset(q, keyset);
    const rows: Row[] = await q
      .limit(limit + 1)
      .select(
        'campaign_id',
        'entity_ref',
        'owner_ref',
        'state',
        'reason',
        'plan_hash',
        'migration_id',
        'approved_by',
        'updated_at',
      );
    const items = rows.slice(0, limit).map(toDataset);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor:
        rows.length > limit
          ? encodeKeysetCursor(orderBy, order, {
              value: {
                entityRef: last.entityRef,
                state: last.state,
                owner: last.ownerRef ?? '',
              }[orderBy],
              id: last.entityRef,
            })
          : null,
    };
  }

  async getDataset(
    id: string,
    entityRef: string,
  ): Promise<(CampaignDataset & { plan: Plan | null }) | undefined> {
    const row = await this.db(D)
      .where({ campaign_id: id, entity_ref: entityRef })
      .first();
    if (!row) return undefined;
    return {
      ...toDataset(row),
      plan: row.plan_json ? JSON.parse(row.plan_json) : null,
    };
  }

  async membershipsOf(entityRef: string): Promise<DatasetCampaignMembership[]> {
    const rows: Row[] = await this.db(D)
      .join(C, `${C}.id`, `${D}.campaign_id`)
      .where(`${D}.entity_ref`, entityRef)
      .orderBy(`${C}.created_at`, 'desc')
      .limit(20)
      .select(
        `${D}.*`,
        `${C}.name as campaign_name`,
        `${C}.status as campaign_status`,
      );
    return rows.map(r => ({
      ...toDataset(r),
      campaignName: r.campaign_name,
      campaignStatus: r.campaign_status,
    }));
  }

  async activeMigrationRefs(entityRefs: string[]): Promise<Set<string>> {
    const active = new Set<string>();
    for (let i = 0; i < entityRefs.length; i += INSERT_BATCH) {
      const rows: Row[] = await this.db(M)
        .whereIn('entity_ref', entityRefs.slice(i, i + INSERT_BATCH))
        .whereNotIn('status', FINAL_MIGRATION_STATUSES as MigrationStatus[])
        .select('entity_ref');
      for (const r of rows) active.add(r.entity_ref);
    }
    return active;
  }

  async heldByCampaigns(entityRefs: string[]): Promise<Map<string, string>> {
    const held = new Map<string, string>();
    for (let i = 0; i < entityRefs.length; i += INSERT_BATCH) {
      const rows: Row[] = await this.db(D)
        .join(C, `${C}.id`, `${D}.campaign_id`)
        .whereIn(`${D}.entity_ref`, entityRefs.slice(i, i + INSERT_BATCH))
        .whereNotIn(`${D}.state`, FINISHED)
        .whereIn(`${C}.status`, ['active', 'paused'])
        .select(`${D}.entity_ref`, `${C}.name`);
      for (const r of rows) held.set(r.entity_ref, r.name);
    }
    return held;
  }

  async takeForPlanning(
    limit: number,
    leaseMs: number,
  ): Promise<DatasetToPlan[]> {
    const now = new Date();
    const stale = new Date(now.getTime() - leaseMs);
    // Whoever's update marks a row plans it: one statement for the whole batch, so
    // another instance's update finds those rows taken (no longer free).
    const token = crypto.randomUUID();
    const free = (q: Knex.QueryBuilder) =>
      q
        .where(`${D}.state`, 'matched')
        .where(b =>
          b
            .whereNull(`${D}.planning_since`)
            .orWhere(`${D}.planning_since`, '<', stale),
        );
    const mark = { planning_since: now, planning_token: token };
    const client = this.db.client.config.client;
    if (client === 'mysql2' || client === 'mysql') {
      // MySQL/MariaDB can neither return rows from an UPDATE nor LIMIT a subquery
      // under IN, but a one-table UPDATE takes ORDER BY and LIMIT.
      await free(this.db(D))
        .whereIn(
          'campaign_id',
          this.db(C).where({ status: 'active' }).select('id'),
        )
        .orderBy('updated_at')
        .limit(limit)
        .update(mark);
    } else {
      const candidates = free(
        this.db(D)
          .join(C, `${C}.id`, `${D}.campaign_id`)
          .where(`${C}.status`, 'active'),
      )
        .orderBy(`${D}.updated_at`)
        .limit(limit)
        .select(`${D}.campaign_id`, `${D}.entity_ref`);
      if (client === 'pg') {
        // One statement: rows another planner is marking are skipped, the lock holds
        // from the subquery to the update, and the rows come back with their campaign.
        const taken: Row[] = await this.db(D)
          .updateFrom(C)
          .whereRaw('?? = ??', [`${C}.id`, `${D}.campaign_id`])
          .whereIn(
            [`${D}.campaign_id`, `${D}.entity_ref`],
            candidates.forUpdate(D).skipLocked(),
          )
          .update(mark, [
            `${D}.campaign_id`,
            `${D}.entity_ref`,
            `${C}.agent_id`,
            `${C}.mode`,
          ]);
        return taken.map(toDatasetToPlan);
      }
      await this.db(D)
        .whereIn(['campaign_id', 'entity_ref'], candidates)
        .update(mark);
    }
    const rows: Row[] = await this.db(D)
      .join(C, `${C}.id`, `${D}.campaign_id`)
      .where(`${D}.planning_token`, token)
      .orderBy(`${D}.updated_at`)
      .select(
        `${D}.campaign_id`,
        `${D}.entity_ref`,
        `${C}.agent_id`,
        `${C}.mode`,
      );
    return rows.map(toDatasetToPlan);
  }

  async recordPlan(
    campaignId: string,
    entityRef: string,
    outcome: PlanOutcome,
  ): Promise<boolean> {
    const now = new Date();
    const changed = await this.db(D)
      .where({
        campaign_id: campaignId,
        entity_ref: entityRef,
        state: 'matched',
      })
      .update({
        state: outcome.state,
        plan_hash: outcome.plan?.hash ?? null,
        plan_json: outcome.plan ? JSON.stringify(outcome.plan) : null,
        agent_version: outcome.plan?.agent.version ?? null,
        reason_code: outcome.reasonCode ?? null,
        reason: outcome.reason ?? null,
        planned_at: now,
        planning_since: null,
        updated_at: now,
      });
    return changed === 1;
  }

  async setDatasetState(
    campaignId: string,
    entityRef: string,
    expected: readonly CampaignDatasetState[],
    state: CampaignDatasetState,
    patch: { reason?: string | null; approvedBy?: string; plan?: Plan } = {},
  ): Promise<boolean> {
    const now = new Date();
    const update: Row = {
      state,
      updated_at: now,
      finished_at: FINISHED.includes(state) ? now : null,
    };
    if (patch.reason !== undefined) update.reason = patch.reason;
    if (patch.approvedBy !== undefined) update.approved_by = patch.approvedBy;
    if (patch.plan) {
      update.plan_json = JSON.stringify(patch.plan);
      update.plan_hash = patch.plan.hash;
      update.agent_version = patch.plan.agent.version;
    }
    const changed = await this.db(D)
      .where({ campaign_id: campaignId, entity_ref: entityRef })
      .whereIn('state', expected as CampaignDatasetState[])
      .update(update);
    return changed === 1;
  }

  async setDatasetStates(
    campaignId: string,
    expected: readonly CampaignDatasetState[],
    state: CampaignDatasetState,
    reason: string | null,
  ): Promise<number> {
    const now = new Date();
    return this.db(D)
      .where({ campaign_id: campaignId })
      .whereIn('state', expected as CampaignDatasetState[])
      .update({
        state,
        reason,
        // Back to matched is a re-plan: what blocked it is forgotten until planned again.
        ...(state === 'matched' ? { reason_code: null } : {}),
        planning_since: null,
        updated_at: now,
        finished_at: FINISHED.includes(state) ? now : null,
      });
  }

  async listToQueue(limit: number): Promise<DatasetToQueue[]> {
    const rows: Row[] = await this.db(D)
      .join(C, `${C}.id`, `${D}.campaign_id`)
      .whereIn(`${C}.status`, ['active', 'paused'])
      .where(`${D}.state`, 'planned')
      .orderBy(`${D}.planned_at`)
      .limit(limit)
      .select(
        `${D}.campaign_id`,
        `${D}.entity_ref`,
        `${D}.owner_ref`,
        `${D}.plan_json`,
        `${D}.approved_by`,
        `${C}.created_by`,
      );
    return rows.map(r => ({
      campaignId: r.campaign_id,
      entityRef: r.entity_ref,
      ownerRef: r.owner_ref ?? null,
      plan: JSON.parse(r.plan_json),
      createdBy: r.approved_by ?? r.created_by,
    }));
  }

  async migrationIdsIn(
    campaignId: string,
    states: readonly CampaignDatasetState[],
  ): Promise<string[]> {
    const rows: Row[] = await this.db(D)
      .where({ campaign_id: campaignId })
      .whereIn('state', states as CampaignDatasetState[])
      .whereNotNull('migration_id')
      .select('migration_id');
    return rows.map(r => r.migration_id);
  }

  async recentlyFinished(
    campaignId: string,
    window: number,
    since: Date,
  ): Promise<CampaignDatasetState[]> {
    const rows: Row[] = await this.db(D)
      .where({ campaign_id: campaignId })
      .where('finished_at', '>', since)
      .whereIn('state', ['completed', 'failed', 'rolled_back'])
      .orderBy('finished_at', 'desc')
      .limit(window)
      .select('state');
    return rows.map(r => r.state);
  }

  async replanPlansOf(agentId: string, version: string): Promise<number> {
    return this.db(D)
      .whereIn('state', ['planned', 'awaiting_approval', 'blocked'])
      .where({ agent_version: version })
      .whereIn(
        'campaign_id',
        this.db(C).where({ agent_id: agentId }).select('id'),
      )
      .update(campaignReplanPatch(REPLANNED_WITHDRAWN, new Date()));
  }

  async completeIfDone(campaignId: string): Promise<boolean> {
    const changed = await this.db(C)
      .where({ id: campaignId, status: 'active' })
      .whereNotExists(
        this.db(D)
          .select(this.db.raw('1'))
          .where('campaign_id', campaignId)
          .whereNotIn('state', FINISHED),
      )
      .update({
        status: 'completed',
        status_reason: null,
        updated_at: new Date(),
      });
    return changed === 1;
  }

  async listToNotify(limit: number): Promise<DatasetToNotify[]> {
    const rows: Row[] = await this.db(D)
      .join(C, `${C}.id`, `${D}.campaign_id`)
      .whereIn(`${D}.state`, NOTIFIED)
      .where(b =>
        b
          .whereNull(`${D}.notified_state`)
          .orWhereRaw('?? <> ??', [`${D}.notified_state`, `${D}.state`]),
      )
      .orderBy(`${D}.updated_at`)
      .limit(limit)
      .select(
        `${D}.campaign_id`,
        `${D}.entity_ref`,
        `${D}.owner_ref`,
        `${D}.state`,
        `${D}.reason`,
        `${C}.name`,
      );
    return rows.map(r => ({
      campaignId: r.campaign_id,
      campaignName: r.name,
      entityRef: r.entity_ref,
      ownerRef: r.owner_ref ?? null,
      state: r.state,
      reason: r.reason ?? null,
    }));
  }

  async markNotified(
    notified: Array<{
      campaignId: string;
      entityRef: string;
      state: CampaignDatasetState;
    }>,
  ): Promise<void> {
    const groups = new Map<
      string,
      { campaignId: string; state: CampaignDatasetState; entityRefs: string[] }
    >();
    for (const { campaignId, state, entityRef } of notified) {
      const key = `${campaignId}\n${state}`;
      const group = groups.get(key) ?? { campaignId, state, entityRefs: [] };
      group.entityRefs.push(entityRef);
      groups.set(key, group);
    }
    for (const { campaignId, state, entityRefs } of groups.values()) {
      await this.db(D)
        .where({ campaign_id: campaignId })
        .whereIn('entity_ref', entityRefs)
        .update({ notified_state: state });
    }
  }
}
