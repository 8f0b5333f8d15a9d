import type {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type {
  AgentVersions,
  NewRolloutRequest,
  Rollout,
  RolloutDetail,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { DatasetAccess } from '../../permissions/DatasetAccess';
import type { AgentRegistry } from '../../plan/AgentRegistry';
import type { CampaignStore } from '../../store/CampaignStore';
import type { MigrationStore } from '../../store/MigrationStore';
import type { NewDecision, RolloutStore } from '../../store/RolloutStore';
import { REPLANNED_WITHDRAWN } from '../../store/campaignSync';
import type { AgentChooser } from './AgentChooser';
import { notifyEntity } from '../notifyEntity';
import { evaluateGates } from './evaluateGates';

/**
 * Rollouts of agent versions: admins start and abort them; `evaluate` judges each
 * active rollout's step from finished migrations (every instance may run it: each
 * decision is a compare-and-set on the rollout's step).
 */
export class RolloutService {
  constructor(
    private readonly options: {
      rollouts: RolloutStore;
      store: MigrationStore;
      campaigns: CampaignStore;
      agents: AgentRegistry;
      chooser: AgentChooser;
      access: DatasetAccess;
      auditor: AuditorService;
      logger: LoggerService;
      notifications?: NotificationService;
      /** Wakes the campaign loop (datasets to re-plan) and the workers. */
      onChanged: () => void;
    },
  ) {}

  async listAgents(): Promise<AgentVersions[]> {
    const { agents, chooser } = this.options;
    const ids = [...new Set(agents.list().map(a => a.id))];
    return Promise.all(
      ids.map(async id => ({
        id,
        versions: agents.versions(id),
        stableVersion: await chooser.stableVersion(id),
      })),
    );
  }

  list(): Promise<Rollout[]> {
    return this.options.rollouts.listRollouts(100);
  }

  private async find(id: string): Promise<Rollout> {
    const rollout = await this.options.rollouts.getRollout(id);
    if (!rollout) throw new NotFoundError(`No rollout ${id}`);
    return rollout;
  }

  async get(id: string): Promise<RolloutDetail> {
    const rollout = await this.find(id);
    const { candidate, stable } = await this.stats(rollout);
    return {
      ...rollout,
      candidate,
      stable,
      decisions: await this.options.rollouts.listDecisions(id),
    };
  }

  private async stats(rollout: Rollout) {
    const since = new Date(rollout.stepStartedAt);
    const [candidate, stable] = await Promise.all([
      this.options.rollouts.versionStats(
        rollout.agentId,
        rollout.candidateVersion,
        since,
      ),
      this.options.rollouts.versionStats(
        rollout.agentId,
        rollout.stableVersion,
        since,
      ),
    ]);
    return { candidate, stable };
  }

  async create(
    request: NewRolloutRequest,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<Rollout> {
    const { access, agents, chooser, rollouts } = this.options;
    await access.requireAdmin(credentials, 'start rollouts');
    const versions = agents.versions(request.agentId);
    if (!versions.length) {
      throw new InputError(
        `agentId "${request.agentId}" is not a registered agent; use one of ${[
          ...new Set(agents.list().map(a => a.id)),
        ].join(', ')}`,
      );
    }
    if (!versions.includes(request.candidateVersion)) {
      throw new InputError(
        `candidateVersion "${
          request.candidateVersion
        }" is not registered for agent ${
          request.agentId
        }; registered: ${versions.join(', ')}`,
      );
    }
    const stable = await chooser.stableVersion(request.agentId);
    if (stable === request.candidateVersion) {
      throw new InputError(
        `candidateVersion ${request.candidateVersion} is already the stable version of ${request.agentId}; roll out another version`,
      );
    }
    const rollout = await rollouts.createRollout(
      request,
      stable,
      credentials.principal.userEntityRef,
    );
    this.options.logger.info(
      `Rollout ${rollout.id} started: ${request.agentId}@${request.candidateVersion} at ${request.steps[0]} %`,
    );
    return rollout;
  }

  /** An admin stops the candidate at once. */
  async abort(
    id: string,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<Rollout> {
    await this.options.access.requireAdmin(credentials, 'abort rollouts');
    const rollout = await this.find(id);
    const actor = credentials.principal.userEntityRef;
    const aborted = await this.decide(rollout, {
      decision: 'abort',
      step: rollout.step,
      share: rollout.share,
      message: `Aborted by ${actor}`,
      actor,
      ...(await this.stats(rollout)),
    });
    if (!aborted) {
      throw new ConflictError(
        `Rollout ${id} is ${
          (await this.find(id)).status
        }; only an active rollout can be aborted`,
      );
    }
    return this.find(id);
  }

  /** Judges every active rollout's step once. Returns how many decisions changed one. */
  async evaluate(now = new Date()): Promise<number> {
    let changed = 0;
    for (const rollout of await this.options.rollouts.listUnsettledAborts()) {
      this.options.logger.info(
        `Rollout ${rollout.id}: finishing the follow-up of its abort that an earlier run left unfinished`,
      );
      await this.settleAbort(rollout);
      changed++;
    }
    for (const rollout of await this.options.rollouts.listActiveRollouts()) {
      const { candidate, stable } = await this.stats(rollout);
      const verdict = evaluateGates(rollout, candidate, stable, now);
      const decision: NewDecision = {
        decision: verdict.decision,
        step: rollout.step,
        share: rollout.share,
        message: verdict.message,
        actor: null,
        candidate,
        stable,
      };
      if (verdict.decision === 'hold') {
        await this.options.rollouts.recordHold(rollout.id, decision);
      } else if (await this.decide(rollout, decision)) {
        changed++;
      }
    }
    return changed;
  }

  /** Applies a promote, complete or abort decision; false when another instance did first. */
  private async decide(
    rollout: Rollout,
    decision: NewDecision,
  ): Promise<boolean> {
    const { rollouts, logger } = this.options;
    const next =
      decision.decision === 'promote'
        ? { step: rollout.step + 1, status: 'active' as const }
        : {
            step: rollout.step,
            status:
              decision.decision === 'complete'
                ? ('promoted' as const)
                : ('aborted' as const),
          };
    if (!(await rollouts.advance(rollout.id, rollout.step, next, decision))) {
      return false;
    }
    logger.info(`Rollout ${rollout.id}: ${decision.message}`);
    if (decision.decision === 'complete') {
      await rollouts.setStableVersion(
        rollout.agentId,
        rollout.candidateVersion,
        rollout.stableVersion,
      );
    }
    if (decision.decision === 'abort') await this.settleAbort(rollout);
    const audit = await this.options.auditor.createEvent({
      eventId: `rollout-${decision.decision}`,
      severityLevel: decision.decision === 'abort' ? 'high' : 'medium',
      meta: {
        rolloutId: rollout.id,
        agent: `${rollout.agentId}@${rollout.candidateVersion}`,
        step: decision.step,
        share: decision.share,
        message: decision.message,
        candidate: decision.candidate,
        stable: decision.stable,
      },
    });
    await audit.success();
    await this.notify(rollout, decision);
    this.options.onChanged();
    return true;
  }

  /**
   * Runs an abort's follow-up and marks it finished. Every part of the follow-up is
   * idempotent, so the loop of any instance can run it again for an abort whose
   * instance died before the mark (see `evaluate`).
   */
  private async settleAbort(rollout: Rollout): Promise<void> {
    await this.afterAbort(rollout);
    await this.options.rollouts.markAbortSettled(rollout.id);
  }

  /**
   * After an abort: queued migrations the candidate planned are planned again by the
   * stable version (a campaign's dataset goes back to be re-planned, and its owners are
   * asked again in owner-approval mode; a single migration is cancelled and its owners
   * told to start again); running ones finish, or roll back when the rollout says so.
   */
  private async afterAbort(rollout: Rollout): Promise<void> {
    const { rollouts, store, campaigns } = this.options;
    const message = `The rollout of ${rollout.agentId}@${rollout.candidateVersion} that planned it was aborted; it is planned again by the stable version ${rollout.stableVersion}`;
    for (const id of await rollouts.queuedMigrationsOf(
      rollout.agentId,
      rollout.candidateVersion,
    )) {
      await store.setStatus(id, 'cancelled', {
        expected: ['queued'],
        event: { type: 'cancel.requested', actor: 'rollout', message },
        replanCampaignDataset: REPLANNED_WITHDRAWN,
      });
    }
    await campaigns.replanPlansOf(rollout.agentId, rollout.candidateVersion);
    if (rollout.onAbort !== 'rollback') return;
    for (const id of await rollouts.runningMigrationsOf(
      rollout.agentId,
      rollout.candidateVersion,
    )) {
      await store.setStatus(id, 'rolling_back', {
        expected: ['running'],
        runAfter: null,
        event: {
          type: 'rollback.requested',
          actor: 'rollout',
          message: `The rollout of ${rollout.agentId}@${rollout.candidateVersion} was aborted and rolls back its running migrations`,
        },
      });
    }
  }

  private notify(rollout: Rollout, decision: NewDecision): Promise<void> {
    const { notifications, logger } = this.options;
    return notifyEntity(notifications, logger, rollout.createdBy, {
      title: `Rollout of ${rollout.agentId}@${rollout.candidateVersion}: ${decision.decision}`,
      description: decision.message,
      link: `/dataset-migrations/rollouts/${rollout.id}`,
      severity: decision.decision === 'abort' ? 'high' : 'normal',
      topic: `dataset-migrations:rollout:${rollout.id}`,
    });
  }
}
