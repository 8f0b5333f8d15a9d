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
import { responseBody } from './responseBody';
import { DefaultApiClient } from './schema/openapi';

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

/** The generated client's call for each action on a campaign. */
const ACTIONS: Record<
  CampaignAction,
  (
    api: DefaultApiClient,
    id: string,
  ) => ReturnType<DefaultApiClient['pauseCampaign']>
> = {
  pause: (api, id) => api.pauseCampaign({ path: { id }, body: {} }),
  resume: (api, id) => api.resumeCampaign({ path: { id }, body: {} }),
  cancel: (api, id) => api.cancelCampaign({ path: { id }, body: {} }),
  replan: (api, id) => api.replanCampaign({ path: { id }, body: {} }),
  finalize: (api, id) => api.finalizeCampaign({ path: { id }, body: {} }),
};

/**
 * Calls `/api/dataset-migrations/campaigns…` with Backstage's fetch, through the client
 * generated from the backend's OpenAPI spec (a request or answer that drifts from the
 * spec does not compile). @public
 */
export class CampaignsClient implements CampaignsApi {
  private readonly api: DefaultApiClient;

  constructor(options: DatasetMigrationsClientOptions) {
    this.api = new DefaultApiClient(options);
  }

  listCampaigns(): Promise<{ items: Campaign[] }> {
    return responseBody(this.api.listCampaigns({}));
  }

  createCampaign(
    request: NewCampaignRequest,
  ): Promise<{ campaign?: Campaign; dryRun: CampaignDryRun }> {
    return responseBody(this.api.createCampaign({ body: request }));
  }

  getCampaign(id: string): Promise<{ campaign: CampaignDetail }> {
    return responseBody(this.api.getCampaign({ path: { id } }));
  }

  listCampaignDatasets(
    id: string,
    query: CampaignDatasetQuery = {},
  ): Promise<CampaignDatasetPage> {
    return responseBody(this.api.listCampaignDatasets({ path: { id }, query }));
  }

  actOnCampaign(
    id: string,
    action: CampaignAction,
  ): Promise<CampaignActionResult> {
    return responseBody(ACTIONS[action](this.api, id));
  }

  listDatasetCampaigns(
    entityRef: string,
  ): Promise<{ items: DatasetCampaignMembership[] }> {
    return responseBody(
      this.api.listDatasetCampaigns({ query: { entityRef } }),
    );
  }

  approveCampaignDataset(
    id: string,
    entityRef: string,
    planHash: string,
  ): Promise<{ dataset: DatasetCampaignMembership }> {
    return responseBody(
      this.api.approveCampaignDataset({
        path: { id },
        body: { entityRef, planHash },
      }),
    );
  }

  declineCampaignDataset(
    id: string,
    entityRef: string,
  ): Promise<{ dataset: DatasetCampaignMembership }> {
    return responseBody(
      this.api.declineCampaignDataset({ path: { id }, body: { entityRef } }),
    );
  }
}
