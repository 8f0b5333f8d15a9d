import { useEffect } from 'react';
import { isBackendUnreachable } from './errorMessage';

/** How long a page waits before asking an unreachable backend again. */
export const RECONNECT_MS = 3_000;

/**
 * Asks again (`retry`) every few seconds while the last answer was no answer at all,
 * so a page that loads once comes back by itself when the backend does. Returns
 * whether it is reconnecting.
 */
export function useRetryWhileUnreachable(
  error: unknown,
  retry: () => void,
  delayMs = RECONNECT_MS,
): boolean {
  const isReconnecting = isBackendUnreachable(error);
  useEffect(() => {
    if (!isReconnecting) return undefined;
    const timer = setTimeout(retry, delayMs);
    return () => clearTimeout(timer);
  }, [isReconnecting, error, retry, delayMs]);
  return isReconnecting;
}
