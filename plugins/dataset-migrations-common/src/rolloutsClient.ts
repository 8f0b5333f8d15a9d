import type { DatasetMigrationsClientOptions } from './client';
import { responseBody } from './responseBody';
import type {
  AgentVersions,
  NewRolloutRequest,
  Rollout,
  RolloutDetail,
} from './rollout';
import { DefaultApiClient } from './schema/openapi';

/** The rollouts part of the Dataset Migrations API (fleet administrators). @public */
export interface RolloutsApi {
  listAgents(): Promise<{ items: AgentVersions[] }>;
  listRollouts(): Promise<{ items: Rollout[] }>;
  createRollout(request: NewRolloutRequest): Promise<{ rollout: Rollout }>;
  getRollout(id: string): Promise<{ rollout: RolloutDetail }>;
  /** Stops assigning the candidate at once. */
  abortRollout(id: string): Promise<{ rollout: Rollout }>;
}

/**
 * Calls `/api/dataset-migrations/agents` and `/rollouts…` with Backstage's fetch,
 * through the client generated from the backend's OpenAPI spec. @public
 */
export class RolloutsClient implements RolloutsApi {
  private readonly api: DefaultApiClient;

  constructor(options: DatasetMigrationsClientOptions) {
    this.api = new DefaultApiClient(options);
  }

  listAgents(): Promise<{ items: AgentVersions[] }> {
    return responseBody(this.api.listAgents({}));
  }

  listRollouts(): Promise<{ items: Rollout[] }> {
    return responseBody(this.api.listRollouts({}));
  }

  createRollout(request: NewRolloutRequest): Promise<{ rollout: Rollout }> {
    return responseBody(this.api.createRollout({ body: request }));
  }

  getRollout(id: string): Promise<{ rollout: RolloutDetail }> {
    return responseBody(this.api.getRollout({ path: { id } }));
  }

  abortRollout(id: string): Promise<{ rollout: Rollout }> {
    return responseBody(this.api.abortRollout({ path: { id }, body: {} }));
  }
}
