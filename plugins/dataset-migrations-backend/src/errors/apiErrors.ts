import {
  CustomErrorBase,
  InputError,
  isError,
  stringifyError,
} from '@backstage/errors';
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

/**
 * express.json's refusals (malformed JSON, a body over the limit, an unknown charset)
 * are the caller's mistake: a 4xx naming what to fix, never the parser's own text,
 * which quotes the body.
 */
const BODY_REFUSALS: Record<string, string> = {
  'entity.too.large': 'is larger than the 1 MB this API accepts',
  'entity.parse.failed': 'is not valid JSON',
};

function bodyParserError(error: unknown): Error | undefined {
  const e = error as { type?: unknown; status?: unknown };
  if (!isError(error) || typeof e.type !== 'string') return undefined;
  if (typeof e.status !== 'number' || e.status < 400 || e.status >= 500) {
    return undefined;
  }
  const why = BODY_REFUSALS[e.type] ?? `cannot be read (${e.type})`;
  const input = new InputError(`The request body ${why}; send a JSON object`);
  if (e.status !== 400)
    (input as { statusCode?: number }).statusCode = e.status;
  return input;
}

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
  const body = bodyParserError(error);
  if (body) return body;
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
