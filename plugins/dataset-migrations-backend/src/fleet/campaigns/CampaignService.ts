import type {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  Campaign,
  CampaignAction,
  CampaignActionResult,
  CampaignBlockedReason,
  CampaignDatasetPage,
  CampaignDatasetQuery,
  CampaignDetail,
  CampaignDryRun,
  DatasetCampaignMembership,
  NewCampaignRequest,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { DatasetAccess } from '../../permissions/DatasetAccess';
import type { PlanService } from '../../plan/PlanService';
import type { MigrationService } from '../../execute/MigrationService';
import type { CampaignStore } from '../../store/CampaignStore';
import type { MigrationStore } from '../../store/MigrationStore';
import { mapBounded, planDataset } from './planDataset';
import { selectDatasets } from './selectDatasets';

/**
 * Plans one instance runs at once for a campaign (dry runs and the campaign loop
 * alike): as many as a connection's planning pool has sessions (ConnectionRegistry),
 * so that a campaign keeps it busy without queueing on it.
 */
export const CAMPAIGN_PLANNERS = 4;
const EXAMPLES_PER_REASON = 3;

/**
 * Campaigns for people: admins create (after a dry run), pause, resume, cancel,
 * re-plan and finalize them; owners approve or decline their datasets; everyone
 * signed in reads them. The campaign loop does the rest in the background.
 */
export class CampaignService {
  constructor(
    private readonly options: {
      campaigns: CampaignStore;
      store: MigrationStore;
      plans: PlanService;
      migrations: MigrationService;
      catalog: CatalogService;
      access: DatasetAccess;
      auth: AuthService;
      /** Wakes the campaign loop of this instance. */
      onChanged: () => void;
    },
  ) {}

  list(): Promise<Campaign[]> {
    return this.options.campaigns.listCampaigns(200);
  }

  private async find(id: string): Promise<Campaign> {
    const campaign = await this.options.campaigns.getCampaign(id);
    if (!campaign) throw new NotFoundError(`No campaign ${id}`);
    return campaign;
  }

  async get(id: string): Promise<CampaignDetail> {
    const { campaigns } = this.options;
    const campaign = await this.find(id);
    const { store } = this.options;
    const [
      burndown,
      blockedReasons,
      owners,
      caps,
      startsLastMinute,
      consumers,
    ] = await Promise.all([
      campaigns.burndown(id, 40),
      campaigns.blockedReasons(id, EXAMPLES_PER_REASON),
      campaigns.owners(id, 50),
      store.capLoads(id),
      store.startsLastMinute(id),
      campaigns.consumerCounts(id),
    ]);
    return {
      ...campaign,
      burndown,
      blockedReasons,
      owners,
      caps,
      startsLastMinute,
      consumers,
    };
  }

  async listDatasets(
    id: string,
    query: CampaignDatasetQuery,
  ): Promise<CampaignDatasetPage> {
    await this.find(id);
    return this.options.campaigns.listDatasets(id, query);
  }

  membershipsOf(entityRef: string): Promise<DatasetCampaignMembership[]> {
    return this.options.campaigns.membershipsOf(entityRef);
  }

  /**
   * Creates a campaign over the datasets its selector matches (as the admin sees the
   * catalog), or with `dryRun` plans every one of them and stores nothing.
   */
  async create(
    request: NewCampaignRequest,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<{ campaign?: Campaign; dryRun: CampaignDryRun }> {
    const { access, catalog, campaigns, plans } = this.options;
    await access.requireAdmin(credentials, 'create campaigns');
    const agents = plans.agentIds();
    const agentId = request.agentId ?? agents.defaultId;
    if (!agents.ids.includes(agentId)) {
      throw new InputError(
        `agentId "${agentId}" is not a registered agent; use one of ${agents.ids.join(
          ', ',
        )}`,
      );
    }
    const selected = await selectDatasets(
      catalog,
      request.selector,
      credentials,
    );
    const refs = selected.map(d => d.entityRef);
    const [held, active] = await Promise.all([
      campaigns.heldByCampaigns(refs),
      campaigns.activeMigrationRefs(refs),
    ]);
    const busy = (ref: string) => held.has(ref) || active.has(ref);

    if (!request.dryRun) {
      if (selected.length === 0) {
        throw new InputError(
          'selector matches no dataset you can see; widen it (owners, connections, schemas, tags, systems, nameGlob) and preview again',
        );
      }
      const campaign = await campaigns.createCampaign(
        {
          name: request.name,
          selector: request.selector,
          agentId,
          mode: request.mode,
          pacing: request.pacing,
          failureBudget: request.failureBudget,
          createdBy: credentials.principal.userEntityRef,
        },
        selected.map(d => ({
          ...d,
          skippedReason: held.has(d.entityRef)
            ? `Already in campaign "${held.get(d.entityRef)}"`
            : undefined,
        })),
      );
      this.options.onChanged();
      return {
        campaign,
        dryRun: {
          matched: selected.length,
          planClean: 0,
          autoEligible: 0,
          blocked: 0,
          blockedReasons: [],
          alreadyActive: refs.filter(busy).length,
        },
      };
    }
    return { dryRun: await this.dryRun(selected, agentId, request, busy) };
  }

  private async dryRun(
    selected: Array<{ entityRef: string }>,
    agentId: string,
    request: NewCampaignRequest,
    busy: (ref: string) => boolean,
  ): Promise<CampaignDryRun> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const free = selected.filter(d => !busy(d.entityRef));
    const outcomes = await mapBounded(free, CAMPAIGN_PLANNERS, d =>
      planDataset(this.options.plans, credentials, {
        entityRef: d.entityRef,
        agentId,
        mode: 'auto',
      }),
    );
    const reasons = new Map<string, CampaignBlockedReason>();
    let blocked = 0;
    let autoEligible = 0;
    outcomes.forEach((outcome, i) => {
      if (outcome.state === 'planned') autoEligible++;
      if (outcome.state !== 'blocked') return;
      blocked++;
      const code = (outcome.reasonCode ??
        'plan-failed') as CampaignBlockedReason['code'];
      const reason = reasons.get(code) ?? { code, count: 0, examples: [] };
      reason.count++;
      if (reason.examples.length < EXAMPLES_PER_REASON) {
        reason.examples.push({
          entityRef: free[i].entityRef,
          message: outcome.reason ?? '',
        });
      }
      reasons.set(code, reason);
    });
    return {
      matched: selected.length,
      planClean: free.length - blocked,
      autoEligible: request.mode === 'auto' ? autoEligible : 0,
      blocked,
      blockedReasons: [...reasons.values()].sort((a, b) => b.count - a.count),
      alreadyActive: selected.length - free.length,
    };
  }

  async act(
    id: string,
    action: CampaignAction,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<CampaignActionResult> {
    const { access, campaigns } = this.options;
    await access.requireAdmin(credentials, `${action} campaigns`);
    const campaign = await this.find(id);
    const actor = credentials.principal.userEntityRef;
    let consumersOnOldName = 0;
    const refuse = (allowed: string) =>
      new ConflictError(
        `Cannot ${action} campaign "${campaign.name}": it is ${campaign.status}; ${action} works on ${allowed} campaigns`,
      );
    let affected = 0;
    switch (action) {
      case 'pause':
        if (
          !(await campaigns.setCampaignStatus(
            id,
            ['active'],
            'paused',
            `Paused by ${actor}`,
          ))
        ) {
          throw refuse('active');
        }
        break;
      case 'resume':
        if (
          !(await campaigns.setCampaignStatus(id, ['paused'], 'active', null))
        ) {
          throw refuse('paused');
        }
        break;
      case 'cancel':
        affected = await this.cancel(id, actor, refuse);
        break;
      case 'replan':
        if (campaign.status !== 'active' && campaign.status !== 'paused') {
          throw refuse('active or paused');
        }
        affected = await campaigns.setDatasetStates(
          id,
          ['blocked', 'awaiting_approval'],
          'matched',
          null,
        );
        break;
      default:
        ({ affected, consumersOnOldName } = await this.finalizeAll(id, actor));
    }
    this.options.onChanged();
    return {
      campaign: await this.find(id),
      affected,
      ...(action === 'finalize' ? { consumersOnOldName } : {}),
    };
  }

  /** Stops queued work; running migrations finish or roll back as they would. */
  private async cancel(
    id: string,
    actor: string,
    refuse: (allowed: string) => Error,
  ): Promise<number> {
    const { campaigns, store } = this.options;
    if (
      !(await campaigns.setCampaignStatus(
        id,
        ['active', 'paused'],
        'cancelled',
        `Cancelled by ${actor}`,
      ))
    ) {
      throw refuse('active or paused');
    }
    let affected = await campaigns.setDatasetStates(
      id,
      ['matched', 'planned', 'blocked', 'awaiting_approval'],
      'skipped',
      `Campaign cancelled by ${actor}`,
    );
    for (const migrationId of await campaigns.migrationIdsIn(id, ['queued'])) {
      const cancelled = await store.setStatus(migrationId, 'cancelled', {
        expected: ['queued'],
        event: {
          type: 'cancel.requested',
          actor,
          message: `Cancelled with its campaign by ${actor}`,
        },
      });
      if (cancelled) affected++;
    }
    return affected;
  }

  /**
   * Finalizes the campaign's migrations that await cleanup, but not those whose
   * datasets still have consumers on the old name: they wait for their owners (who may
   * override, one by one), and are counted.
   */
  private async finalizeAll(
    id: string,
    actor: string,
  ): Promise<{ affected: number; consumersOnOldName: number }> {
    const { migrations } = this.options;
    const ids = await this.options.campaigns.migrationIdsIn(id, [
      'awaiting_cleanup',
    ]);
    let affected = 0;
    let consumersOnOldName = 0;
    for (const migrationId of ids) {
      if ((await migrations.consumersOnOldName(migrationId)).length > 0) {
        consumersOnOldName++;
      } else if (await migrations.requestFinalize(migrationId, actor)) {
        affected++;
      }
    }
    return { affected, consumersOnOldName };
  }

  private async findDataset(id: string, entityRef: string) {
    const dataset = await this.options.campaigns.getDataset(id, entityRef);
    if (!dataset) {
      throw new NotFoundError(`${entityRef} is not in campaign ${id}`);
    }
    return dataset;
  }

  private async membership(
    id: string,
    entityRef: string,
  ): Promise<DatasetCampaignMembership> {
    const found = (await this.options.campaigns.membershipsOf(entityRef)).find(
      m => m.campaignId === id,
    );
    return found!;
  }

  /**
   * An owner confirms the plan they reviewed. The campaign's own plan is used when its
   * hash is the one reviewed; otherwise the dataset is planned again and must match.
   */
  async approve(
    id: string,
    entityRef: string,
    planHash: string,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<DatasetCampaignMembership> {
    const { access, campaigns, plans } = this.options;
    await access.requireMigrate(credentials, entityRef);
    const campaign = await this.find(id);
    if (campaign.status !== 'active' && campaign.status !== 'paused') {
      throw new ConflictError(
        `Campaign "${campaign.name}" is ${campaign.status}; there is nothing to approve`,
      );
    }
    const dataset = await this.findDataset(id, entityRef);
    if (dataset.state !== 'awaiting_approval') {
      throw new ConflictError(
        `${entityRef} is ${dataset.state} in campaign "${campaign.name}", not awaiting approval`,
      );
    }
    let plan = dataset.plan;
    if (!plan || plan.hash !== planHash) {
      plan = await plans.createPlan(entityRef, credentials, {
        agentId: campaign.agentId,
      });
      if (plan.hash !== planHash) {
        throw new ConflictError(
          `The plan for ${entityRef} changed since it was reviewed (approved ${planHash.slice(
            0,
            12,
          )}, now ${plan.hash.slice(
            0,
            12,
          )}); review the new plan and approve again`,
        );
      }
      if (plan.findings.some(f => f.severity === 'blocking')) {
        throw new InputError(
          `The plan for ${entityRef} has blocking findings; fix them, then ask an admin to re-plan the campaign`,
        );
      }
    }
    const approved = await campaigns.setDatasetState(
      id,
      entityRef,
      ['awaiting_approval'],
      'planned',
      {
        approvedBy: credentials.principal.userEntityRef,
        plan,
        reason: null,
      },
    );
    if (!approved) {
      throw new ConflictError(
        `${entityRef} changed state in campaign "${campaign.name}" meanwhile; reload and try again`,
      );
    }
    this.options.onChanged();
    return this.membership(id, entityRef);
  }

  /** An owner leaves their dataset out of the campaign. */
  async decline(
    id: string,
    entityRef: string,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<DatasetCampaignMembership> {
    const { access, campaigns } = this.options;
    await access.requireMigrate(credentials, entityRef);
    const campaign = await this.find(id);
    const dataset = await this.findDataset(id, entityRef);
    const declined = await campaigns.setDatasetState(
      id,
      entityRef,
      ['matched', 'planned', 'blocked', 'awaiting_approval'],
      'skipped',
      { reason: `Declined by ${credentials.principal.userEntityRef}` },
    );
    if (!declined) {
      throw new ConflictError(
        `${entityRef} is ${dataset.state} in campaign "${campaign.name}"; only a dataset that has not been queued can be declined (cancel its migration instead)`,
      );
    }
    return this.membership(id, entityRef);
  }
}
