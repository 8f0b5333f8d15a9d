import { ResponseError } from '@backstage/errors';
import type {
  Campaign,
  CampaignAction,
  CampaignActionResult,
  CampaignDatasetPage,
  CampaignDatasetQuery,
  CampaignDetail,
  CampaignDryRun,
  DatasetCampaignMembership,
  NewCampaignRequest,
} from './campaign';
import type { DatasetMigrationsClientOptions } from './client';

/** The campaigns part of the Dataset Migrations API. @public */
export interface CampaignsApi {
  listCampaigns(): Promise<{ items: Campaign[] }>;
  /** With `dryRun: true` nothing is stored and `campaign` is absent. */
  createCampaign(
    request: NewCampaignRequest,
  ): Promise<{ campaign?: Campaign; dryRun: CampaignDryRun }>;
  getCampaign(id: string): Promise<{ campaign: CampaignDetail }>;
  listCampaignDatasets(
    id: string,
    query?: CampaignDatasetQuery,
  ): Promise<CampaignDatasetPage>;
  actOnCampaign(
    id: string,
    action: CampaignAction,
  ): Promise<CampaignActionResult>;
  /** The campaigns a dataset belongs to, with any approval they wait for. */
  listDatasetCampaigns(
    entityRef: string,
  ): Promise<{ items: DatasetCampaignMembership[] }>;
  /** An owner confirms the plan a campaign made for their dataset. */
  approveCampaignDataset(
    id: string,
    entityRef: string,
    planHash: string,
  ): Promise<{ dataset: DatasetCampaignMembership }>;
  /** An owner leaves their dataset out of a campaign. */
  declineCampaignDataset(
    id: string,
    entityRef: string,
  ): Promise<{ dataset: DatasetCampaignMembership }>;
}

/** Calls `/api/dataset-migrations/campaigns…` with Backstage's fetch. @public */
export class CampaignsClient implements CampaignsApi {
  constructor(private readonly options: DatasetMigrationsClientOptions) {}

  listCampaigns() {
    return this.json<{ items: Campaign[] }>('/campaigns');
  }

  createCampaign(request: NewCampaignRequest) {
    return this.json<{ campaign?: Campaign; dryRun: CampaignDryRun }>(
      '/campaigns',
      this.post(request),
    );
  }

  getCampaign(id: string) {
    return this.json<{ campaign: CampaignDetail }>(
      `/campaigns/${encodeURIComponent(id)}`,
    );
  }

  listCampaignDatasets(id: string, query: CampaignDatasetQuery = {}) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    const search = params.toString();
    return this.json<CampaignDatasetPage>(
      `/campaigns/${encodeURIComponent(id)}/datasets${
        search ? `?${search}` : ''
      }`,
    );
  }

  actOnCampaign(id: string, action: CampaignAction) {
    return this.json<CampaignActionResult>(
      `/campaigns/${encodeURIComponent(id)}/${action}`,
      this.post({}),
    );
  }

  listDatasetCampaigns(entityRef: string) {
    return this.json<{ items: DatasetCampaignMembership[] }>(
      `/dataset-campaigns?${new URLSearchParams({ entityRef })}`,
    );
  }

  approveCampaignDataset(id: string, entityRef: string, planHash: string) {
    return this.json<{ dataset: DatasetCampaignMembership }>(
      `/campaigns/${encodeURIComponent(id)}/approve`,
      this.post({ entityRef, planHash }),
    );
  }

  declineCampaignDataset(id: string, entityRef: string) {
    return this.json<{ dataset: DatasetCampaignMembership }>(
      `/campaigns/${encodeURIComponent(id)}/decline`,
      this.post({ entityRef }),
    );
  }

  private post(body: unknown): RequestInit {
    return {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    };
  }

  private async json<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl(
      'dataset-migrations',
    );
    const response = await this.options.fetchApi.fetch(
      `${baseUrl}${path}`,
      init,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
