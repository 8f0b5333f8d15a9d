import { useApi } from '@backstage/core-plugin-api';
import type { FleetOverview } from '@internal/backstage-plugin-dataset-migrations-common';
import { useEffect, useState } from 'react';
import { datasetMigrationsApiRef } from '../../api';

/** How often the fleet page asks for the fleet again. */
export const FLEET_POLL_MS = 5_000;

type State = { fleet?: FleetOverview; error?: Error };

/**
 * The fleet's health, asked again every few seconds. Each answer (or failure) schedules
 * the next ask, so polls never overlap; a failed poll keeps the last fleet on screen
 * beside the error.
 */
export function useFleet(): State {
  const api = useApi(datasetMigrationsApiRef);
  const [state, setState] = useState<State>({});
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let isCurrent = true;
    api.getFleet().then(
      fleet => isCurrent && setState({ fleet }),
      error => isCurrent && setState(s => ({ ...s, error })),
    );
    return () => {
      isCurrent = false;
    };
  }, [api, tick]);

  useEffect(() => {
    if (!state.fleet && !state.error) return undefined;
    const timer = setTimeout(() => setTick(t => t + 1), FLEET_POLL_MS);
    return () => clearTimeout(timer);
  }, [state]);

  return state;
}
