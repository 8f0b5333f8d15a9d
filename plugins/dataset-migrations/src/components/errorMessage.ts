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

// Backstage's client words a refusal whose body is not Backstage's error body (a
// proxy's, a plain-text one) as "Request failed with status 409 Conflict, <body>".
const RAW_REFUSAL = /^Request failed with status \d+[^,]*(?:, ([\s\S]*))?$/;

/** What a person can do after a refusal, by status: the reason says what went wrong. */
const NEXT_STEP: Record<number, string> = {
  400: 'Correct what the message names, then try again.',
  401: 'Sign in again, then try again.',
  403: 'Ask your Backstage administrators for the permission it names.',
  404: 'It may have been removed or renamed: go back to the list and open it again.',
  409: 'It changed meanwhile: reload the page to see where it stands now, then try again if it still applies.',
  413: 'Send less at once, then try again.',
  429: 'Wait a moment, then try again.',
};

/** Whether the backend answered and refused the request (a 4xx). */
export function isRefusal(error: unknown): error is ResponseError {
  return (
    ResponseError.is(error) &&
    error.response.status >= 400 &&
    error.response.status < 500
  );
}

/** What to do after a refusal (a 4xx). */
export function nextStep(error: ResponseError): string {
  return (
    NEXT_STEP[error.response.status] ??
    'Try again; if it keeps failing, ask your Backstage administrators.'
  );
}

/** The backend's own words of a failed answer, never the client's "Request failed…". */
function serverMessage(error: ResponseError): string {
  const message = error.cause?.message ?? '';
  const raw = RAW_REFUSAL.exec(message);
  const body = raw ? raw[1]?.trim() : message;
  // An HTML page (a proxy's) or nothing at all says nothing a person can read.
  if (body && !body.startsWith('<')) return body;
  return `the backend answered ${error.response.status}${
    error.response.statusText ? ` ${error.response.statusText}` : ''
  } without a reason`;
}

/**
 * What a person should read of a failed request: the backend's own message (a 409's
 * "it is cleaning_up; you can …"), not the client's "Request failed with 409 Conflict",
 * and never the browser's "Failed to fetch".
 */
export function errorMessage(error: unknown): string {
  if (isBackendUnreachable(error)) return BACKEND_UNREACHABLE;
  if (ResponseError.is(error)) return serverMessage(error);
  return isError(error) ? error.message : String(error);
}
