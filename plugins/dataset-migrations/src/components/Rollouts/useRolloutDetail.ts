import { useApi } from '@backstage/core-plugin-api';
import type { RolloutDetail } from '@internal/backstage-plugin-dataset-migrations-common';
import { useCallback } from 'react';
import { rolloutsApiRef } from '../../api';
import { usePolledDetail } from '../usePolledDetail';

/** How often an active rollout's numbers and decisions are asked again. */
export const ROLLOUT_POLL_MS = 5_000;

const isActive = (rollout: RolloutDetail) => rollout.status === 'active';

/**
 * The rollout with its gate numbers and decisions, asked again every few seconds
 * while it is active (the gates decide on the backend's tick, not on a click).
 */
export function useRolloutDetail(id: string) {
  const api = useApi(rolloutsApiRef);
  const load = useCallback(
    async (rolloutId: string): Promise<RolloutDetail> =>
      (await api.getRollout(rolloutId)).rollout,
    [api],
  );
  return usePolledDetail(id, load, isActive, ROLLOUT_POLL_MS);
}
