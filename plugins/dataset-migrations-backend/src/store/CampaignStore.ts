import type {
  Campaign,
  CampaignBlockedReason,
  CampaignBurndownPoint,
  CampaignConsumerCounts,
  CampaignDataset,
  CampaignDatasetPage,
  CampaignDatasetQuery,
  CampaignDatasetState,
  CampaignFailureBudget,
  CampaignMode,
  CampaignOwnerRow,
  CampaignPacing,
  CampaignSelector,
  CampaignStatus,
  DatasetCampaignMembership,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';

export type NewCampaign = {
  name: string;
  selector: CampaignSelector;
  agentId: string;
  mode: CampaignMode;
  pacing: CampaignPacing;
  failureBudget: CampaignFailureBudget;
  createdBy: string;
};

export type NewCampaignDataset = {
  entityRef: string;
  ownerRef: string | null;
  sourceConnection: string | null;
  /** Datasets another campaign already holds start skipped, with the reason. */
  skippedReason?: string;
};

/** A campaign as the loop reads it: its settings, not its counts. */
export type ActiveCampaign = Omit<Campaign, 'counts' | 'total'>;

/** A dataset of an active campaign that a planner took (see `takeForPlanning`). */
export type DatasetToPlan = {
  campaignId: string;
  entityRef: string;
  agentId: string;
  mode: CampaignMode;
};

/** A dataset whose plan is approved (or needs no approval) and waits to be queued. */
export type DatasetToQueue = {
  campaignId: string;
  entityRef: string;
  ownerRef: string | null;
  plan: Plan;
  /** Who the migration is created by: the approving owner, else the campaign's creator. */
  createdBy: string;
};

/** A dataset whose owners have not yet heard about its state. */
export type DatasetToNotify = {
  campaignId: string;
  campaignName: string;
  entityRef: string;
  ownerRef: string | null;
  state: CampaignDatasetState;
  reason: string | null;
};

/** What planning concluded for one dataset. */
export type PlanOutcome = {
  state: 'planned' | 'blocked' | 'awaiting_approval';
  plan?: Plan;
  reasonCode?: string | null;
  reason?: string | null;
};

/** The campaign tables: campaigns, their datasets and the aggregates of their pages. */
export interface CampaignStore {
  createCampaign(
    campaign: NewCampaign,
    datasets: NewCampaignDataset[],
  ): Promise<Campaign>;
  getCampaign(id: string): Promise<Campaign | undefined>;
  /** Newest first, with counts per state (one grouped query for all of them). */
  listCampaigns(limit: number): Promise<Campaign[]>;
  /**
   * Changes the campaign's status only from one of `expected` (compare-and-set).
   * Returns whether it happened.
   */
  setCampaignStatus(
    id: string,
    expected: readonly CampaignStatus[],
    status: CampaignStatus,
    reason: string | null,
  ): Promise<boolean>;
  /**
   * Active campaigns (the loop's work), one query for them all and without the counts
   * per state, which the loop does not need and which cost a grouped read of every
   * dataset of each campaign.
   */
  listActiveCampaigns(): Promise<ActiveCampaign[]>;

  burndown(id: string, points: number): Promise<CampaignBurndownPoint[]>;
  blockedReasons(
    id: string,
    examples: number,
  ): Promise<CampaignBlockedReason[]>;
  owners(id: string, limit: number): Promise<CampaignOwnerRow[]>;
  /** The consumer reports of the campaign's datasets' migrations, counted by status. */
  consumerCounts(id: string): Promise<CampaignConsumerCounts>;

  listDatasets(
    id: string,
    query: CampaignDatasetQuery,
  ): Promise<CampaignDatasetPage>;
  getDataset(
    id: string,
    entityRef: string,
  ): Promise<(CampaignDataset & { plan: Plan | null }) | undefined>;
  /** The campaigns a dataset belongs to, newest first. */
  membershipsOf(entityRef: string): Promise<DatasetCampaignMembership[]>;
  /** Entity refs among these with a migration that is not final. */
  activeMigrationRefs(entityRefs: string[]): Promise<Set<string>>;
  /** Entity refs among these that a campaign not yet finished holds (not skipped or done). */
  heldByCampaigns(entityRefs: string[]): Promise<Map<string, string>>;

  /**
   * Takes up to `limit` matched datasets of active campaigns for planning: each is
   * marked as being planned (a lease of `leaseMs`) by a guarded update, so two
   * instances never plan one dataset at once; a crashed planner's lease runs out.
   */
  takeForPlanning(limit: number, leaseMs: number): Promise<DatasetToPlan[]>;
  /** Stores what planning concluded, if the dataset is still matched. */
  recordPlan(
    campaignId: string,
    entityRef: string,
    outcome: PlanOutcome,
  ): Promise<boolean>;
  /**
   * Moves a dataset from one of `expected` states to `state` (compare-and-set), with
   * the given columns. Returns whether it happened.
   */
  setDatasetState(
    campaignId: string,
    entityRef: string,
    expected: readonly CampaignDatasetState[],
    state: CampaignDatasetState,
    patch?: { reason?: string | null; approvedBy?: string; plan?: Plan },
  ): Promise<boolean>;
  /** Moves every dataset of the campaign in `expected` to `state`; returns how many. */
  setDatasetStates(
    campaignId: string,
    expected: readonly CampaignDatasetState[],
    state: CampaignDatasetState,
    reason: string | null,
  ): Promise<number>;
  /** Planned datasets of active campaigns, oldest plan first. */
  listToQueue(limit: number): Promise<DatasetToQueue[]>;
  /** The migration ids of the campaign's datasets in one of `states`. */
  migrationIdsIn(
    campaignId: string,
    states: readonly CampaignDatasetState[],
  ): Promise<string[]>;
  /**
   * States of the most recently finished datasets whose migrations ran, finished after
   * `since` (the campaign's last status change: a resume starts the budget afresh).
   */
  recentlyFinished(
    campaignId: string,
    window: number,
    since: Date,
  ): Promise<CampaignDatasetState[]>;
  /**
   * Sends datasets whose plan this agent version made, and that are not queued yet
   * (planned, awaiting approval, blocked), back to be planned again. Returns how many.
   */
  replanPlansOf(agentId: string, version: string): Promise<number>;
  /** Completes an active campaign with nothing remaining; returns whether it did. */
  completeIfDone(campaignId: string): Promise<boolean>;

  /** Datasets in a state owners hear about, whose owners have not been told yet. */
  listToNotify(limit: number): Promise<DatasetToNotify[]>;
  /** Records that owners were told of these datasets' states: one statement per campaign and state. */
  markNotified(
    notified: Array<{
      campaignId: string;
      entityRef: string;
      state: CampaignDatasetState;
    }>,
  ): Promise<void>;
}
