import { ResponseError } from '@backstage/errors';
import type { TypedResponse } from './schema/openapi';

/**
 * The body of a generated client call's answer, or the ResponseError of a refusal
 * (which keeps the backend's own message, as the pages show it). Shared by the clients
 * over DefaultApiClient.
 */
export async function responseBody<T>(
  pending: Promise<TypedResponse<T>>,
): Promise<T> {
  const response = await pending;
  if (!response.ok) {
    throw await ResponseError.fromResponse(response as Response);
  }
  return response.json();
}
