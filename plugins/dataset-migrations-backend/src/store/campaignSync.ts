import {
  CampaignDatasetState,
  FINISHED_CAMPAIGN_DATASET_STATES,
  MigrationStatus,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';

/** The campaign state a dataset is in while its migration has this status. */
export const CAMPAIGN_STATE_OF: Record<MigrationStatus, CampaignDatasetState> =
  {
    queued: 'queued',
    running: 'running',
    rolling_back: 'running',
    awaiting_cleanup: 'awaiting_cleanup',
    cleaning_up: 'awaiting_cleanup',
    cleanup_failed: 'awaiting_cleanup',
    completed: 'completed',
    failed: 'failed',
    rolled_back: 'rolled_back',
    // Only a queued migration is cancelled outright: it never started.
    cancelled: 'skipped',
  };

/**
 * Keeps a campaign dataset's state in step with its migration, in the transaction that
 * changes the migration's status, so the campaign's counts and burndown never disagree
 * with the migrations (a no-op for migrations outside campaigns).
 */
export async function syncCampaignDataset(
  trx: Knex.Transaction,
  migrationId: string,
  status: MigrationStatus,
  now: Date,
  replanReason?: string,
): Promise<void> {
  await trx('dm_campaign_datasets')
    .where({ migration_id: migrationId })
    .update(
      replanReason === undefined
        ? campaignDatasetPatch(status, now)
        : campaignReplanPatch(replanReason, now),
    );
}

/** What a campaign dataset's row becomes when its migration takes `status`. */
export function campaignDatasetPatch(status: MigrationStatus, now: Date) {
  const state = CAMPAIGN_STATE_OF[status];
  return {
    state,
    updated_at: now,
    finished_at: FINISHED_CAMPAIGN_DATASET_STATES.includes(state) ? now : null,
  };
}

/** Why a dataset is planned again after the rollout of the agent version that planned it was aborted. */
export const REPLANNED_WITHDRAWN =
  'Planned again: the agent version that planned it was withdrawn';

/**
 * What a campaign dataset's row becomes when it goes back to be planned again: no
 * plan, no approval, no migration; the campaign loop plans it at its next tick.
 */
export function campaignReplanPatch(reason: string, now: Date) {
  return {
    state: 'matched' as const,
    migration_id: null,
    plan_json: null,
    plan_hash: null,
    agent_version: null,
    approved_by: null,
    reason_code: null,
    reason,
    planning_since: null,
    finished_at: null,
    updated_at: now,
  };
}
