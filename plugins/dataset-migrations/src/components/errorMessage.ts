import { isError, ResponseError } from '@backstage/errors';

/**
 * What a person should read of a failed request: the backend's own message (a 409's
 * "it is cleaning_up; you can …"), not the client's "Request failed with 409 Conflict".
 */
export function errorMessage(error: unknown): string {
  if (ResponseError.is(error) && error.cause?.message)
    return error.cause.message;
  return isError(error) ? error.message : String(error);
}
