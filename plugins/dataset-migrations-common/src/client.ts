import { ResponseError } from '@backstage/errors';
import type { ConnectionSummary } from './types';

/** The parts of Backstage's discovery and fetch APIs the client needs. @public */
export type DatasetMigrationsClientOptions = {
  discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  fetchApi: { fetch: typeof fetch };
};

/** The Dataset Migrations API as the frontend (or another plugin) sees it. @public */
export interface DatasetMigrationsApi {
  listConnections(): Promise<{ items: ConnectionSummary[] }>;
}

/** HTTP client of the backend plugin, authenticated through `fetchApi`. @public */
export class DatasetMigrationsClient implements DatasetMigrationsApi {
  constructor(private readonly options: DatasetMigrationsClientOptions) {}

  async listConnections(): Promise<{ items: ConnectionSummary[] }> {
    return this.request('/connections');
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl(
      'dataset-migrations',
    );
    const response = await this.options.fetchApi.fetch(
      `${baseUrl}${path}`,
      init,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
