import { useApi } from '@backstage/core-plugin-api';
import type { CampaignDetail } from '@internal/backstage-plugin-dataset-migrations-common';
import { useCallback, useEffect, useState } from 'react';
import { campaignsApiRef } from '../../api';
import { isCampaignLive } from './campaignProgress';

/** How often a live campaign's aggregated detail is asked again. */
export const CAMPAIGN_POLL_MS = 5_000;

type State = { detail?: CampaignDetail; error?: Error };

/**
 * The campaign's aggregated detail (counts, burndown, owners, caps: never its
 * datasets), asked again every few seconds while it is live. A failed poll keeps the
 * last detail on screen beside the error and is tried again at the next tick.
 */
export function useCampaignDetail(id: string) {
  const api = useApi(campaignsApiRef);
  const [state, setState] = useState<State>({});
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick(t => t + 1), []);

  // Another campaign's page: never show the last one's numbers under its name.
  useEffect(() => setState({}), [id]);

  useEffect(() => {
    let isCurrent = true;
    api.getCampaign(id).then(
      ({ campaign }) => isCurrent && setState({ detail: campaign }),
      error => isCurrent && setState(s => ({ ...s, error })),
    );
    return () => {
      isCurrent = false;
    };
  }, [api, id, tick]);

  // Each answer (or failure) schedules the next ask, so polls never overlap.
  const isLive = state.detail ? isCampaignLive(state.detail) : false;
  useEffect(() => {
    if (!isLive) return undefined;
    const timer = setTimeout(refresh, CAMPAIGN_POLL_MS);
    return () => clearTimeout(timer);
  }, [isLive, state, refresh]);

  return { ...state, refresh };
}
