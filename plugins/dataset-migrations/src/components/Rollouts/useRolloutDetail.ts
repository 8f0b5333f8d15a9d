import { useApi } from '@backstage/core-plugin-api';
import type { RolloutDetail } from '@internal/backstage-plugin-dataset-migrations-common';
import { useCallback, useEffect, useState } from 'react';
import { rolloutsApiRef } from '../../api';

/** How often an active rollout's numbers and decisions are asked again. */
export const ROLLOUT_POLL_MS = 5_000;

type State = { detail?: RolloutDetail; error?: Error };

/**
 * The rollout with its gate numbers and decisions, asked again every few seconds
 * while it is active (the gates decide on the backend's tick, not on a click). A
 * failed poll keeps the last detail on screen beside the error.
 */
export function useRolloutDetail(id: string) {
  const api = useApi(rolloutsApiRef);
  const [state, setState] = useState<State>({});
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick(t => t + 1), []);

  // Another rollout's page: never show the last one's numbers under its id.
  useEffect(() => setState({}), [id]);

  useEffect(() => {
    let isCurrent = true;
    api.getRollout(id).then(
      ({ rollout }) => isCurrent && setState({ detail: rollout }),
      error => isCurrent && setState(s => ({ ...s, error })),
    );
    return () => {
      isCurrent = false;
    };
  }, [api, id, tick]);

  // Each answer (or failure) schedules the next ask, so polls never overlap.
  const isActive = state.detail?.status === 'active';
  useEffect(() => {
    if (!isActive) return undefined;
    const timer = setTimeout(refresh, ROLLOUT_POLL_MS);
    return () => clearTimeout(timer);
  }, [isActive, state, refresh]);

  return { ...state, refresh };
}
