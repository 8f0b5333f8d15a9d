import { useApi } from '@backstage/core-plugin-api';
import type { CampaignDetail } from '@internal/backstage-plugin-dataset-migrations-common';
import { useCallback } from 'react';
import { campaignsApiRef } from '../../api';
import { usePolledDetail } from '../usePolledDetail';
import { isCampaignLive } from './campaignProgress';

/** How often a live campaign's aggregated detail is asked again. */
export const CAMPAIGN_POLL_MS = 5_000;

/**
 * The campaign's aggregated detail (counts, burndown, owners, caps: never its
 * datasets), asked again every few seconds while it is live.
 */
export function useCampaignDetail(id: string) {
  const api = useApi(campaignsApiRef);
  const load = useCallback(
    async (campaignId: string): Promise<CampaignDetail> =>
      (await api.getCampaign(campaignId)).campaign,
    [api],
  );
  return usePolledDetail(id, load, isCampaignLive, CAMPAIGN_POLL_MS);
}
