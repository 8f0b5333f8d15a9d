import type {
  AuditorService,
  AuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import { BackgroundLoop } from '../BackgroundLoop';
import { notifyEntity } from '../notifyEntity';
import type { PlanService } from '../../plan/PlanService';
import type { ActiveCampaign, CampaignStore } from '../../store/CampaignStore';
import type { MigrationStore } from '../../store/MigrationStore';
import { CAMPAIGN_PLANNERS } from './CampaignService';
import { campaignNotification } from './campaignNotification';
import { mapBounded, planDataset } from './planDataset';

const TICK_MS = 2_000;
const PLAN_LEASE_MS = 5 * 60_000;
const QUEUE_BATCH = 200;
// Datasets taken per pass: enough that the pass's fixed work (the queueing, every
// active campaign's budget and completion, notifications) is paid per many plans.
const PLAN_BATCH = CAMPAIGN_PLANNERS * 8;
const NOTIFY_BATCH = 50;

/**
 * The background half of campaigns, on every instance: plans matched datasets, queues
 * the ones whose plan needs no click (or was approved), pauses a campaign whose failure
 * budget is spent, completes finished campaigns and tells owners what concerns them.
 * Each change is a compare-and-set in the store, so instances can run it side by side.
 * The caps and the start rate are enforced where workers claim migrations.
 */
export class CampaignLoop {
  private readonly loop: BackgroundLoop;

  constructor(
    private readonly options: {
      campaigns: CampaignStore;
      store: MigrationStore;
      plans: PlanService;
      auth: AuthService;
      auditor: AuditorService;
      logger: LoggerService;
      notifications?: NotificationService;
      /** Wakes this instance's idle workers. */
      onQueued: () => void;
    },
  ) {
    this.loop = new BackgroundLoop({
      name: 'Campaign loop',
      intervalMs: TICK_MS,
      logger: options.logger,
      tick: async () => (await this.tick()).planned > 0,
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Runs a pass soon: something changed. */
  notify(): void {
    this.loop.notify();
  }

  /** One pass over every active campaign; returns how much it did (for tests). */
  async tick(): Promise<{ planned: number; queued: number }> {
    const planned = await this.planSome();
    const queued = await this.queuePlanned();
    // Read once a pass, after the queueing, so a resume's new updatedAt is seen.
    for (const campaign of await this.options.campaigns.listActiveCampaigns()) {
      await this.checkBudget(campaign);
      if (await this.options.campaigns.completeIfDone(campaign.id)) {
        this.options.logger.info(`Campaign ${campaign.id} completed`);
      }
    }
    await this.notifyOwners();
    return { planned, queued };
  }

  private async planSome(): Promise<number> {
    const { campaigns, plans } = this.options;
    const taken = await campaigns.takeForPlanning(PLAN_BATCH, PLAN_LEASE_MS);
    if (!taken.length) return 0;
    const credentials = await this.options.auth.getOwnServiceCredentials();
    await mapBounded(taken, CAMPAIGN_PLANNERS, async dataset => {
      const outcome = await planDataset(plans, credentials, dataset);
      await campaigns.recordPlan(
        dataset.campaignId,
        dataset.entityRef,
        outcome,
      );
    });
    return taken.length;
  }

  /** Creates the migrations of planned datasets with their stored plan: never planned twice. */
  private async queuePlanned(): Promise<number> {
    const { campaigns, store } = this.options;
    let queued = 0;
    for (const dataset of await campaigns.listToQueue(QUEUE_BATCH)) {
      try {
        await store.createMigration({
          entityRef: dataset.entityRef,
          connection: dataset.plan.source.connection,
          ownerRef: dataset.ownerRef,
          plan: dataset.plan,
          createdBy: dataset.createdBy,
          campaignId: dataset.campaignId,
        });
        queued++;
      } catch (e) {
        if (!(e instanceof ConflictError)) throw e;
        // Another migration holds its table: it stays planned and is tried again.
        await campaigns.setDatasetState(
          dataset.campaignId,
          dataset.entityRef,
          ['planned'],
          'planned',
          { reason: `Waiting: ${e.message}` },
        );
      }
    }
    if (queued) this.options.onQueued();
    return queued;
  }

  private async checkBudget(campaign: ActiveCampaign): Promise<void> {
    const { campaigns, auditor } = this.options;
    const { id } = campaign;
    const { window, maxFailureRate } = campaign.failureBudget;
    const states = await campaigns.recentlyFinished(
      id,
      window,
      new Date(campaign.updatedAt),
    );
    const failed = states.filter(s => s === 'failed').length;
    // Over the whole window, so a few early failures in a small sample count in full.
    if (failed / window <= maxFailureRate) return;
    const reason = `Failure budget spent: ${failed} of the last ${
      states.length
    } finished migrations failed (budget: at most ${Math.round(
      maxFailureRate * 100,
    )} % of ${window}); fix the cause, then resume`;
    if (
      !(await campaigns.setCampaignStatus(id, ['active'], 'paused', reason))
    ) {
      return;
    }
    this.options.logger.warn(`Campaign ${campaign.name} paused: ${reason}`);
    const audit = await auditor.createEvent({
      eventId: 'campaign-pause',
      severityLevel: 'medium',
      meta: { campaignId: id, reason, failed, window, maxFailureRate },
    });
    await audit.success();
    await this.send(campaign.createdBy, {
      title: `Campaign "${campaign.name}" paused itself`,
      description: reason,
      link: `/dataset-migrations/campaigns/${id}`,
      severity: 'high',
      topic: `dataset-migrations:campaign:${id}`,
    });
  }

  private async notifyOwners(): Promise<void> {
    const { campaigns } = this.options;
    const told = await campaigns.listToNotify(NOTIFY_BATCH);
    for (const dataset of told) {
      if (dataset.ownerRef) {
        await this.send(dataset.ownerRef, campaignNotification(dataset));
      }
    }
    // Marked together after the sends (a crash between them tells an owner twice,
    // never not at all), one statement per campaign and state, not per dataset.
    await campaigns.markNotified(told);
  }

  private send(
    entityRef: string,
    payload: Parameters<NotificationService['send']>[0]['payload'],
  ): Promise<void> {
    const { notifications, logger } = this.options;
    return notifyEntity(notifications, logger, entityRef, payload);
  }
}
