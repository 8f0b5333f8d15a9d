import { ResponseError } from '@backstage/errors';
import type { DatasetMigrationsClientOptions } from './client';
import type {
  AgentVersions,
  NewRolloutRequest,
  Rollout,
  RolloutDetail,
} from './rollout';

/** The rollouts part of the Dataset Migrations API (fleet administrators). @public */
export interface RolloutsApi {
  listAgents(): Promise<{ items: AgentVersions[] }>;
  listRollouts(): Promise<{ items: Rollout[] }>;
  createRollout(request: NewRolloutRequest): Promise<{ rollout: Rollout }>;
  getRollout(id: string): Promise<{ rollout: RolloutDetail }>;
  /** Stops assigning the candidate at once. */
  abortRollout(id: string): Promise<{ rollout: Rollout }>;
}

/** Calls `/api/dataset-migrations/rollouts…` with Backstage's fetch. @public */
export class RolloutsClient implements RolloutsApi {
  constructor(private readonly options: DatasetMigrationsClientOptions) {}

  listAgents() {
    return this.json<{ items: AgentVersions[] }>('/agents');
  }

  listRollouts() {
    return this.json<{ items: Rollout[] }>('/rollouts');
  }

  createRollout(request: NewRolloutRequest) {
    return this.json<{ rollout: Rollout }>('/rollouts', this.post(request));
  }

  getRollout(id: string) {
    return this.json<{ rollout: RolloutDetail }>(
      `/rollouts/${encodeURIComponent(id)}`,
    );
  }

  abortRollout(id: string) {
    return this.json<{ rollout: Rollout }>(
      `/rollouts/${encodeURIComponent(id)}/abort`,
      this.post({}),
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
