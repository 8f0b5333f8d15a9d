import { useCallback, useEffect, useState } from 'react';
import {
  RECONNECT_MS,
  useRetryWhileUnreachable,
} from './useRetryWhileUnreachable';

type State<T> = { detail?: T; error?: Error };

/**
 * A detail page's data, asked again `pollMs` after each answer while `isLive` holds
 * (so polls never overlap). A failed poll keeps the last detail on screen beside the
 * error and is tried again at the next tick; another id never shows the last one's
 * data under its name. While the backend cannot be reached at all, it is asked again
 * every few seconds whatever the detail says (`isReconnecting`), so the page comes back
 * by itself.
 */
export function usePolledDetail<T>(
  id: string,
  load: (id: string) => Promise<T>,
  isLive: (detail: T) => boolean,
  pollMs: number,
) {
  const [state, setState] = useState<State<T>>({});
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick(t => t + 1), []);

  useEffect(() => setState({}), [id]);

  useEffect(() => {
    let isCurrent = true;
    load(id).then(
      detail => isCurrent && setState({ detail }),
      error => isCurrent && setState(s => ({ ...s, error })),
    );
    return () => {
      isCurrent = false;
    };
  }, [load, id, tick]);

  const live = state.detail ? isLive(state.detail) : false;
  useEffect(() => {
    if (!live) return undefined;
    const timer = setTimeout(refresh, pollMs);
    return () => clearTimeout(timer);
  }, [live, state, refresh, pollMs]);

  const isReconnecting = useRetryWhileUnreachable(
    state.error,
    refresh,
    Math.min(pollMs, RECONNECT_MS),
  );

  return { ...state, isReconnecting, refresh };
}
