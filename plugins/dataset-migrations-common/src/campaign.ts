import type { SortOrder } from './migration';
import type { FindingCode } from './plan';

/**
 * How a campaign's datasets are queued: `owner-approval` waits for an owner of each
 * dataset to confirm its plan; `auto` queues every dataset whose plan has no warning or
 * blocking finding and passed preflight, and asks the owners of the rest.
 *
 * @public
 */
export const CAMPAIGN_MODES = ['owner-approval', 'auto'] as const;

/** @public */
export type CampaignMode = (typeof CAMPAIGN_MODES)[number];

/** A campaign's own status. @public */
export const CAMPAIGN_STATUSES = [
  'active',
  'paused',
  'cancelled',
  'completed',
] as const;

/** @public */
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/**
 * The one state of a dataset in a campaign, in the order a dataset moves through them.
 * `matched`: the selector found it, no plan yet; `planned`: a clean plan waiting for its
 * turn; `blocked`: its plan has a blocking finding or failed preflight (re-planning picks
 * up rule fixes); `awaiting_approval`: an owner must confirm; then the states of its
 * migration; `skipped`: left out (cancelled before it started, or an owner declined).
 *
 * @public
 */
export const CAMPAIGN_DATASET_STATES = [
  'matched',
  'planned',
  'blocked',
  'awaiting_approval',
  'queued',
  'running',
  'awaiting_cleanup',
  'completed',
  'failed',
  'rolled_back',
  'skipped',
] as const;

/** @public */
export type CampaignDatasetState = (typeof CAMPAIGN_DATASET_STATES)[number];

/** States after which a dataset no longer counts as remaining in the burndown. @public */
export const FINISHED_CAMPAIGN_DATASET_STATES: readonly CampaignDatasetState[] =
  ['completed', 'failed', 'rolled_back', 'skipped'];

/**
 * Which dataset entities a campaign covers. Every given field must match (AND); a list
 * matches any of its values (OR). Evaluated through the catalog.
 *
 * @public
 */
export type CampaignSelector = {
  /** Owner entity refs, e.g. `group:default/team-a`. */
  owners?: string[];
  /** Connection names of the datasets' locations. */
  connections?: string[];
  /** Schema names of the datasets' locations (SQLite datasets have none). */
  schemas?: string[];
  tags?: string[];
  /** System entity refs, e.g. `system:default/warehouse`. */
  systems?: string[];
  /** A glob over the entity's name, e.g. `page_*`. */
  nameGlob?: string;
};

/** Limits on how fast a campaign moves. @public */
export type CampaignPacing = {
  /** Migrations of this campaign running at once (on every instance together). */
  maxRunning: number;
  /** Migrations of this campaign started per minute (on every instance together). */
  startsPerMinute: number;
};

/** When a campaign pauses itself. @public */
export type CampaignFailureBudget = {
  /** How many of the most recently finished migrations are looked at. */
  window: number;
  /** The share of failed ones (0–1) above which the campaign pauses. */
  maxFailureRate: number;
};

/** What an admin sends to create a campaign. @public */
export type NewCampaignRequest = {
  name: string;
  selector: CampaignSelector;
  /** The agent that plans every dataset (default: the configured default agent). */
  agentId?: string;
  mode: CampaignMode;
  pacing: CampaignPacing;
  failureBudget: CampaignFailureBudget;
  /** With true, nothing is stored: the answer is the dry run. */
  dryRun?: boolean;
};

/** Blocked datasets with one finding code, for the dry run and the campaign page. @public */
export type CampaignBlockedReason = {
  code: FindingCode | 'preflight-failed' | 'plan-failed';
  count: number;
  /** A few example datasets and the finding's message. */
  examples: Array<{ entityRef: string; message: string }>;
};

/** What a campaign would do, computed before anything is stored or run. @public */
export type CampaignDryRun = {
  matched: number;
  /** Plans without a blocking finding that passed preflight. */
  planClean: number;
  /** Of those, plans with no warning either (queued without a click in `auto`). */
  autoEligible: number;
  blocked: number;
  blockedReasons: CampaignBlockedReason[];
  /** Datasets that another active migration or campaign already holds. */
  alreadyActive: number;
};

/** A campaign as the API returns it. @public */
export type Campaign = {
  id: string;
  name: string;
  status: CampaignStatus;
  /** Why it paused itself (the failure budget) or was paused, cancelled. */
  statusReason: string | null;
  selector: CampaignSelector;
  agentId: string;
  mode: CampaignMode;
  pacing: CampaignPacing;
  failureBudget: CampaignFailureBudget;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Datasets per state (every state present, zero where none). */
  counts: Record<CampaignDatasetState, number>;
  total: number;
};

/** One point of the burndown: datasets not finished at `at`. @public */
export type CampaignBurndownPoint = { at: string; remaining: number };

/** Per owner: how many of their datasets are in which state. @public */
export type CampaignOwnerRow = {
  ownerRef: string;
  total: number;
  remaining: number;
  awaitingApproval: number;
  blocked: number;
  failed: number;
};

/**
 * The consumers of a campaign's migrations by the consumer agent's status: one per
 * consumer of each dataset the campaign migrated (a consumer that reads two of its
 * datasets counts twice), as last checked. @public
 */
export type CampaignConsumerCounts = {
  total: number;
  verified: number;
  needsReview: number;
  repointed: number;
  prOpen: number;
};

/** A cap in force and the load on it right now. @public */
export type CampaignCapLoad = {
  /** `campaign`, `source-connection:<name>`, `target-connection:<name>`, `owner:<ref>`. */
  scope: string;
  cap: number;
  running: number;
};

/** The campaign page's data, aggregated by the backend. @public */
export type CampaignDetail = Campaign & {
  burndown: CampaignBurndownPoint[];
  blockedReasons: CampaignBlockedReason[];
  owners: CampaignOwnerRow[];
  caps: CampaignCapLoad[];
  /** Starts in the last minute, against `pacing.startsPerMinute`. */
  startsLastMinute: number;
  consumers: CampaignConsumerCounts;
};

/** One dataset of a campaign. @public */
export type CampaignDataset = {
  campaignId: string;
  entityRef: string;
  ownerRef: string | null;
  state: CampaignDatasetState;
  /** The finding codes that block it, or why it was skipped. */
  reason: string | null;
  planHash: string | null;
  migrationId: string | null;
  approvedBy: string | null;
  updatedAt: string;
};

/** Filters and paging of a campaign's datasets. @public */
export type CampaignDatasetQuery = {
  state?: CampaignDatasetState;
  owner?: string;
  /** Case-insensitive text found anywhere in the entity ref or the owner. */
  search?: string;
  /** The order of the whole list, by entity ref ascending by default. */
  orderBy?: CampaignDatasetOrderBy;
  order?: SortOrder;
  limit?: number;
  /** The nextCursor of the previous page, under the same order. */
  cursor?: string;
};

/** What a campaign's datasets can be ordered by (ties broken by entity ref). @public */
export const CAMPAIGN_DATASET_ORDER_BY = [
  'entityRef',
  'state',
  'owner',
] as const;

/** @public */
export type CampaignDatasetOrderBy = (typeof CAMPAIGN_DATASET_ORDER_BY)[number];

/** @public */
export type CampaignDatasetPage = {
  items: CampaignDataset[];
  nextCursor: string | null;
};

/** What a campaign asks of one dataset's owners, shown on the dataset's tab. @public */
export type DatasetCampaignMembership = CampaignDataset & {
  campaignName: string;
  campaignStatus: CampaignStatus;
};

/** Actions on a campaign (admin). @public */
export const CAMPAIGN_ACTIONS = [
  'pause',
  'resume',
  'cancel',
  'replan',
  'finalize',
] as const;

/** @public */
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];

/** The answer to a campaign action: what it changed. @public */
export type CampaignActionResult = {
  campaign: Campaign;
  affected: number;
  /**
   * Finalize: migrations left awaiting cleanup because their datasets still have
   * consumers whose code reads the old name.
   */
  consumersOnOldName?: number;
};
