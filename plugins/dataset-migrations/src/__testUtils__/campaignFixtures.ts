import {
  CAMPAIGN_DATASET_STATES,
  type Campaign,
  type CampaignDataset,
  type CampaignDatasetState,
  type CampaignDetail,
  type CampaignsApi,
  type DatasetCampaignMembership,
} from '@internal/backstage-plugin-dataset-migrations-common';

export const CAMPAIGN_ID = '22222222-2222-4222-8222-222222222222';

/** Counts with every state present, as the API sends them. */
export function counts(
  given: Partial<Record<CampaignDatasetState, number>> = {},
): Record<CampaignDatasetState, number> {
  return Object.fromEntries(
    CAMPAIGN_DATASET_STATES.map(s => [s, given[s] ?? 0]),
  ) as Record<CampaignDatasetState, number>;
}

export function campaign(overrides: Partial<Campaign> = {}): Campaign {
  const c = overrides.counts ?? counts({ completed: 6, running: 2, queued: 2 });
  return {
    id: CAMPAIGN_ID,
    name: 'warehouse snake_case',
    status: 'active',
    statusReason: null,
    selector: { connections: ['warehouse'] },
    agentId: 'sql',
    mode: 'owner-approval',
    pacing: { maxRunning: 4, startsPerMinute: 30 },
    failureBudget: { window: 20, maxFailureRate: 0.2 },
    createdBy: 'user:default/guest',
    createdAt: '2026-11-23T09:00:00.000Z',
    updatedAt: '2026-11-23T10:00:00.000Z',
    total: Object.values(c).reduce((a, b) => a + b, 0),
    ...overrides,
    counts: c,
  };
}

export function campaignDetail(
  overrides: Partial<CampaignDetail> = {},
): CampaignDetail {
  return {
    ...campaign(overrides),
    burndown: [
      { at: '2026-11-23T09:00:00.000Z', remaining: 10 },
      { at: '2026-11-23T09:30:00.000Z', remaining: 7 },
      { at: '2026-11-23T10:00:00.000Z', remaining: 4 },
    ],
    blockedReasons: [],
    owners: [],
    caps: [],
    startsLastMinute: 0,
    consumers: {
      total: 0,
      verified: 0,
      needsReview: 0,
      repointed: 0,
      prOpen: 0,
    },
    ...overrides,
  };
}

export function campaignDataset(
  overrides: Partial<CampaignDataset> = {},
): CampaignDataset {
  return {
    campaignId: CAMPAIGN_ID,
    entityRef: 'resource:default/customer-accounts',
    ownerRef: 'group:default/data-platform',
    state: 'queued',
    reason: null,
    planHash: 'a'.repeat(64),
    migrationId: null,
    approvedBy: null,
    updatedAt: '2026-11-23T10:00:00.000Z',
    ...overrides,
  };
}

export function membership(
  overrides: Partial<DatasetCampaignMembership> = {},
): DatasetCampaignMembership {
  return {
    ...campaignDataset(overrides),
    campaignName: 'warehouse snake_case',
    campaignStatus: 'active',
    ...overrides,
  };
}

/** A campaigns API whose every method fails unless the test provides it. */
export function campaignsApiWith(partial: Partial<CampaignsApi>): CampaignsApi {
  const missing = (name: string) => () =>
    Promise.reject(new Error(`${name} not expected in this test`));
  return {
    listCampaigns: missing('listCampaigns'),
    createCampaign: missing('createCampaign'),
    getCampaign: missing('getCampaign'),
    listCampaignDatasets: async () => ({ items: [], nextCursor: null }),
    actOnCampaign: missing('actOnCampaign'),
    // A dataset's tab asks on every render; most tests have no campaign.
    listDatasetCampaigns: async () => ({ items: [] }),
    approveCampaignDataset: missing('approveCampaignDataset'),
    declineCampaignDataset: missing('declineCampaignDataset'),
    ...partial,
  };
}

/** A campaign that paused itself, with blocked datasets, owners and a cap. */
export const pausedDetail = () =>
  campaignDetail({
    status: 'paused',
    statusReason:
      'failure budget: 5 of the last 20 finished migrations failed (25% > 20%)',
    counts: counts({
      completed: 4,
      failed: 5,
      blocked: 3,
      awaiting_approval: 2,
      awaiting_cleanup: 1,
    }),
    blockedReasons: [
      {
        code: 'not-null-violation',
        count: 3,
        examples: [
          {
            entityRef: 'resource:default/page-views',
            message: 'column referrer holds 12 NULLs',
          },
        ],
      },
    ],
    owners: [
      {
        ownerRef: 'group:default/billing',
        total: 5,
        remaining: 1,
        awaitingApproval: 0,
        blocked: 0,
        failed: 0,
      },
      {
        ownerRef: 'group:default/data-platform',
        total: 10,
        remaining: 5,
        awaitingApproval: 2,
        blocked: 3,
        failed: 0,
      },
    ],
    caps: [{ scope: 'source-connection:warehouse', cap: 2, running: 1 }],
    startsLastMinute: 3,
  });
