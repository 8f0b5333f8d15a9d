import { CustomErrorBase, isError, stringifyError } from '@backstage/errors';
import { safeErrorMessage } from './safeErrorMessage';

/**
 * Too many requests of one user at once: answered 429, which HTTP clients and proxies
 * understand as "retry later" (Backstage's error handler takes `statusCode`). A 409
 * would say the dataset's state conflicts, a 503 that the whole service is down;
 * neither is what the caller should act on.
 */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  statusCode = 429;
}

/** Errors whose messages this plugin wrote for people (not a driver's text). */
const BACKSTAGE_ERRORS = new Set([
  'InputError',
  'AuthenticationError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
  'NotModifiedError',
  'NotImplementedError',
  'ServiceUnavailableError',
  'TooManyRequestsError',
]);

/** Whether an error is one of Backstage's (or ours) with a message meant for people. */
export function isApiError(error: unknown): error is Error {
  return isError(error) && BACKSTAGE_ERRORS.has(error.name);
}

/**
 * What an API answer may carry of an error: Backstage's errors keep their message and
 * status but their `cause` (which the error handler serializes, driver text and all,
 * and which CustomErrorBase appends to the message) is reduced to its safe text;
 * anything else becomes a plain 500 with the safe text of the driver message
 * (no row values, no connection strings, no extra properties such as a TypeError's
 * `input`).
 */
export function toApiError(error: unknown): Error {
  if (isApiError(error)) {
    const cause = (error as { cause?: unknown }).cause;
    if (cause === undefined) return error;
    // CustomErrorBase appends the cause's own text to the message.
    const suffix = `; caused by ${stringifyError(cause)}`;
    const own = error.message.endsWith(suffix)
      ? error.message.slice(0, -suffix.length)
      : error.message;
    const copy = new (error.constructor as new (message: string) => Error)(
      `${own}; caused by ${safeErrorMessage(cause)}`,
    );
    (copy as { statusCode?: number }).statusCode = (
      error as { statusCode?: number }
    ).statusCode;
    return copy;
  }
  const safe = new Error(
    `Dataset migrations failed unexpectedly: ${safeErrorMessage(error)}`,
  );
  delete safe.stack;
  return safe;
}
