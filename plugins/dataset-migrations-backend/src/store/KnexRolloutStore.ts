import { isDatabaseConflictError } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type {
  NewRolloutRequest,
  Rollout,
  RolloutDecision,
  RolloutVersionStats,
} from '@internal/backstage-plugin-dataset-migrations-common';
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { RAN_STATUSES } from './ranStatuses';
import type { NewDecision, RolloutStore } from './RolloutStore';
import { iso } from './rows';

const R = 'dm_rollouts';
const RD = 'dm_rollout_decisions';
const ST = 'dm_agent_stable';
const M = 'dm_migrations';
const S = 'dm_steps';
const E = 'dm_events';
/** Copy steps read to compute throughput (the newest ones of the window). */
const THROUGHPUT_SAMPLE = 2_000;

type Row = Record<string, any>;

function toRollout(row: Row): Rollout {
  const steps: number[] = JSON.parse(row.steps_json);
  const step = Number(row.step);
  return {
    id: row.id,
    agentId: row.agent_id,
    candidateVersion: row.candidate_version,
    stableVersion: row.stable_version,
    status: row.status,
    step,
    steps,
    share: row.status === 'aborted' ? 0 : steps[step],
    minPerStep: Number(row.min_per_step),
    bakeSeconds: Number(row.bake_seconds),
    gates: JSON.parse(row.gates_json),
    onAbort: row.on_abort,
    stepStartedAt: iso(row.step_started_at)!,
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

function decisionRow(id: string, decision: NewDecision) {
  return {
    rollout_id: id,
    at: new Date(),
    decision: decision.decision,
    step: decision.step,
    share: decision.share,
    message: decision.message,
    actor: decision.actor,
    numbers_json: JSON.stringify({
      candidate: decision.candidate,
      stable: decision.stable,
    }),
  };
}

const rate = (n: number, of: number) => (of ? n / of : null);

/** Rollouts through knex: SQLite, PostgreSQL or MySQL/MariaDB alike. */
export class KnexRolloutStore implements RolloutStore {
  constructor(private readonly db: Knex) {}

  async getStableVersion(agentId: string): Promise<string | undefined> {
    const row = await this.db(ST).where({ agent_id: agentId }).first();
    return row?.version;
  }

  async setStableVersion(
    agentId: string,
    version: string,
    expected?: string | null,
  ): Promise<boolean> {
    const now = new Date();
    if (expected === null) {
      try {
        await this.db(ST).insert({
          agent_id: agentId,
          version,
          updated_at: now,
        });
        return true;
      } catch (e) {
        // Another instance recorded one first: theirs stands.
        if (isDatabaseConflictError(e)) return false;
        throw e;
      }
    }
    let q = this.db(ST).where({ agent_id: agentId });
    if (expected !== undefined) q = q.where({ version: expected });
    return (await q.update({ version, updated_at: now })) === 1;
  }

  async createRollout(
    request: NewRolloutRequest,
    stableVersion: string,
    createdBy: string,
  ): Promise<Rollout> {
    const id = crypto.randomUUID();
    const now = new Date();
    await this.db.transaction(async trx => {
      // One active rollout per agent: checked under a lock on the agent's stable row
      // (SQLite has one writer at a time anyway).
      if (this.db.client.config.client !== 'better-sqlite3') {
        await trx(ST).where({ agent_id: request.agentId }).forUpdate().first();
      }
      const active = await trx(R)
        .where({ agent_id: request.agentId, status: 'active' })
        .first();
      if (active) {
        throw new ConflictError(
          `Agent ${request.agentId} already has an active rollout (${active.id}, candidate ${active.candidate_version}); abort it or wait for it to finish`,
        );
      }
      await trx(R).insert({
        id,
        agent_id: request.agentId,
        candidate_version: request.candidateVersion,
        stable_version: stableVersion,
        status: 'active',
        step: 0,
        steps_json: JSON.stringify(request.steps),
        min_per_step: request.minPerStep,
        bake_seconds: request.bakeSeconds,
        gates_json: JSON.stringify(request.gates),
        on_abort: request.onAbort,
        step_started_at: now,
        created_by: createdBy,
        created_at: now,
        updated_at: now,
      });
      await trx(RD).insert(
        decisionRow(id, {
          decision: 'start',
          step: 0,
          share: request.steps[0],
          message: `Started by ${createdBy}: ${request.agentId}@${request.candidateVersion} takes ${request.steps[0]} % of new plans (stable ${stableVersion})`,
          actor: createdBy,
          candidate: null,
          stable: null,
        }),
      );
    });
    return (await this.getRollout(id))!;
  }

  async getRollout(id: string): Promise<Rollout | undefined> {
    const row = await this.db(R).where({ id }).first();
    return row ? toRollout(row) : undefined;
  }

  async listRollouts(limit: number): Promise<Rollout[]> {
    const rows: Row[] = await this.db(R)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(toRollout);
  }

  async activeRolloutOf(agentId: string): Promise<Rollout | undefined> {
    const row = await this.db(R)
      .where({ agent_id: agentId, status: 'active' })
      .first();
    return row ? toRollout(row) : undefined;
  }

  async stableAndActiveRollout(
    agentId: string,
  ): Promise<{ stable?: string; rollout?: Rollout }> {
    const { db } = this;
    // One row whatever exists: both tables joined to a row of its own. The rollout's
    // own stable_version is another column than the recorded one.
    const row: Row | undefined = await db
      .select({ dm_recorded_stable: `${ST}.version` }, `${R}.*`)
      .from(db.raw('(SELECT 1 AS ??) AS ??', ['one', 'dm_one']))
      .leftJoin(ST, b => b.on(`${ST}.agent_id`, '=', db.raw('?', [agentId])))
      .leftJoin(R, b =>
        b
          .on(`${R}.agent_id`, '=', db.raw('?', [agentId]))
          .andOn(`${R}.status`, '=', db.raw('?', ['active'])),
      )
      .first();
    return {
      ...(row?.dm_recorded_stable ? { stable: row.dm_recorded_stable } : {}),
      ...(row?.id ? { rollout: toRollout(row) } : {}),
    };
  }

  async listActiveRollouts(): Promise<Rollout[]> {
    const rows: Row[] = await this.db(R).where({ status: 'active' });
    return rows.map(toRollout);
  }

  async listUnsettledAborts(): Promise<Rollout[]> {
    const rows: Row[] = await this.db(R).where({
      status: 'aborted',
      abort_settled_at: null,
    });
    return rows.map(toRollout);
  }

  async markAbortSettled(id: string): Promise<void> {
    await this.db(R).where({ id }).update({ abort_settled_at: new Date() });
  }

  async advance(
    id: string,
    fromStep: number,
    change: { step: number; status: Rollout['status'] },
    decision: NewDecision,
  ): Promise<boolean> {
    return this.db.transaction(async trx => {
      const now = new Date();
      const changed = await trx(R)
        .where({ id, status: 'active', step: fromStep })
        .update({
          step: change.step,
          status: change.status,
          step_started_at: now,
          updated_at: now,
        });
      if (changed !== 1) return false;
      await trx(RD).insert(decisionRow(id, decision));
      return true;
    });
  }

  async recordHold(id: string, decision: NewDecision): Promise<void> {
    const last = await this.db(RD)
      .where({ rollout_id: id })
      .orderBy('id', 'desc')
      .first();
    // A timeline of one line per change, not one per evaluation.
    if (
      last &&
      last.decision === 'hold' &&
      Number(last.step) === decision.step &&
      last.message === decision.message
    ) {
      return;
    }
    await this.db(RD).insert(decisionRow(id, decision));
  }

  async listDecisions(id: string): Promise<RolloutDecision[]> {
    const rows: Row[] = await this.db(RD)
      .where({ rollout_id: id })
      .orderBy('id', 'asc')
      .limit(500);
    return rows.map(r => {
      const numbers = r.numbers_json ? JSON.parse(r.numbers_json) : {};
      return {
        id: Number(r.id),
        at: iso(r.at)!,
        decision: r.decision,
        step: Number(r.step),
        share: Number(r.share),
        message: r.message,
        actor: r.actor ?? null,
        candidate: numbers.candidate ?? null,
        stable: numbers.stable ?? null,
      };
    });
  }

  async versionStats(
    agentId: string,
    version: string,
    since: Date,
  ): Promise<RolloutVersionStats> {
    const ran = () =>
      this.db(M)
        .where({ agent_id: agentId, agent_version: version })
        .where('finished_at', '>=', since)
        .whereIn('status', RAN_STATUSES);
    const counts: Row[] = await ran()
      .select('status')
      .count({ n: '*' })
      .groupBy('status');
    let finished = 0;
    let failed = 0;
    let rolledBack = 0;
    for (const c of counts) {
      const n = Number(c.n);
      finished += n;
      if (c.status === 'failed') failed += n;
      if (c.status === 'rolled_back') rolledBack += n;
    }
    const mismatch = await this.db(E)
      .whereIn('migration_id', ran().select('id'))
      .where({ step: 'verify' })
      .whereIn('type', ['step.retry', 'retries.exhausted'])
      .countDistinct({ n: 'migration_id' })
      .first();
    const verifyMismatches = Number(mismatch?.n ?? 0);
    const copies: Row[] = await this.db(S)
      .whereIn('migration_id', ran().select('id'))
      .where({ name: 'copy', status: 'succeeded' })
      .whereNotNull('started_at')
      .whereNotNull('finished_at')
      .orderBy('finished_at', 'desc')
      .limit(THROUGHPUT_SAMPLE)
      .select('started_at', 'finished_at', 'progress_done');
    let rows = 0;
    let ms = 0;
    for (const c of copies) {
      rows += Number(c.progress_done ?? 0);
      ms += Math.max(
        1,
        new Date(iso(c.finished_at)!).getTime() -
          new Date(iso(c.started_at)!).getTime(),
      );
    }
    return {
      version,
      finished,
      failed,
      rolledBack,
      verifyMismatches,
      failureRate: rate(failed, finished),
      rollbackRate: rate(rolledBack, finished),
      verifyMismatchRate: rate(verifyMismatches, finished),
      copyRowsPerSecond: copies.length ? (rows * 1000) / ms : null,
    };
  }

  async queuedMigrationsOf(
    agentId: string,
    version: string,
  ): Promise<string[]> {
    const rows: Row[] = await this.db(M)
      .where({ agent_id: agentId, agent_version: version, status: 'queued' })
      .select('id');
    return rows.map(r => r.id);
  }

  async runningMigrationsOf(
    agentId: string,
    version: string,
  ): Promise<string[]> {
    const rows: Row[] = await this.db(M)
      .where({ agent_id: agentId, agent_version: version, status: 'running' })
      .select('id');
    return rows.map(r => r.id);
  }
}
