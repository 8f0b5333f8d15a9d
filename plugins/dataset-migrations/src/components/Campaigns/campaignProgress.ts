import {
  FINISHED_CAMPAIGN_DATASET_STATES,
  type Campaign,
} from '@internal/backstage-plugin-dataset-migrations-common';

/** Datasets of the campaign that are finished, whatever the outcome, and the total. */
export function campaignProgress(campaign: Pick<Campaign, 'counts' | 'total'>) {
  const done = FINISHED_CAMPAIGN_DATASET_STATES.reduce(
    (sum, state) => sum + campaign.counts[state],
    0,
  );
  return { done, total: campaign.total };
}

/**
 * Whether the campaign's page should keep asking for news: while it runs, while it is
 * paused (another admin may resume it) and while migrations it started still run.
 */
export function isCampaignLive(campaign: Pick<Campaign, 'status' | 'counts'>) {
  return (
    campaign.status === 'active' ||
    campaign.status === 'paused' ||
    campaign.counts.running > 0
  );
}
