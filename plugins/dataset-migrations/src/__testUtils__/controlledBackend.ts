import {
  CampaignsApi,
  CampaignsClient,
  DatasetMigrationsApi,
  DatasetMigrationsClient,
  RolloutsApi,
  RolloutsClient,
} from '@internal/backstage-plugin-dataset-migrations-common';

/** What the "backend" answers a request, or undefined while it is down. */
export type Answer = (url: URL, init: RequestInit) => Response | undefined;

/** A JSON answer as the backend sends it. */
export const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

/** A refusal with the body Backstage's error handler sends. */
export const refusal = (
  status: number,
  name: string,
  message: string,
  request: { method: string; url: string },
) =>
  json(status, {
    error: { name, message },
    request,
    response: { statusCode: status },
  });

// A class instance's methods as own properties: the test app's `...partial` keeps them.
function methodsOf<T extends object>(client: T): T {
  const prototype = Object.getPrototypeOf(client);
  const methods: Record<string, unknown> = {};
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const value = (client as Record<string, unknown>)[name];
    if (name !== 'constructor' && typeof value === 'function')
      methods[name] = value.bind(client);
  }
  return methods as T;
}

/**
 * The real clients of -common over a fetch the test controls: `answer` says what the
 * backend answers; while it answers undefined, fetch rejects as browsers do when no
 * answer comes (`TypeError: Failed to fetch`).
 */
export function controlledBackend(answer: Answer): {
  api: DatasetMigrationsApi;
  campaigns: CampaignsApi;
  rollouts: RolloutsApi;
} {
  const options = {
    discoveryApi: { getBaseUrl: async () => 'http://backend/api/dm' },
    fetchApi: {
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = new URL(
          input instanceof Request ? input.url : input.toString(),
        );
        const response = answer(url, init ?? (input as Request));
        if (!response) throw new TypeError('Failed to fetch');
        return response;
      }) as typeof fetch,
    },
  };
  return {
    api: methodsOf(new DatasetMigrationsClient(options)),
    campaigns: methodsOf(new CampaignsClient(options)),
    rollouts: methodsOf(new RolloutsClient(options)),
  };
}
