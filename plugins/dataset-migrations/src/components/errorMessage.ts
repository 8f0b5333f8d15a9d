import { isError, ResponseError } from '@backstage/errors';

/** What a person reads while the pages wait for the backend to answer again. */
export const BACKEND_RETRYING =
  'Cannot reach the Dataset Migrations backend; retrying…';

/** What a person reads when one action could not reach the backend. */
export const BACKEND_UNREACHABLE =
  'Cannot reach the Dataset Migrations backend: check that it is running, then try again.';

// Browsers reject fetch with a TypeError when no answer comes at all: "Failed to
// fetch" (Chromium), "NetworkError when attempting to fetch resource." (Firefox),
// "Load failed" (Safari), "fetch failed" (Node). A TypeError of a bug says none of it.
const NETWORK_FAILURE = /fetch|network|load failed/i;

// A proxy in front of a backend that is down or restarting answers for it.
const GATEWAY_STATUSES = [502, 503, 504];

/** Whether the request got no answer from the backend (down, restarting, offline). */
export function isBackendUnreachable(error: unknown): boolean {
  if (ResponseError.is(error)) {
    return GATEWAY_STATUSES.includes(error.response.status);
  }
  return (
    isError(error) &&
    error.name === 'TypeError' &&
    NETWORK_FAILURE.test(error.message)
  );
}

/**
 * What a person should read of a failed request: the backend's own message (a 409's
 * "it is cleaning_up; you can …"), not the client's "Request failed with 409 Conflict",
 * and never the browser's "Failed to fetch".
 */
export function errorMessage(error: unknown): string {
  if (isBackendUnreachable(error)) return BACKEND_UNREACHABLE;
  if (ResponseError.is(error) && error.cause?.message)
    return error.cause.message;
  return isError(error) ? error.message : String(error);
}
