import { ResponseError } from '@backstage/errors';
import type {
  FleetWorker,
  Migration,
  MigrationEvent,
  MigrationListQuery,
  MigrationPage,
  MigrationStats,
} from './migration';
import type { MigrationAction } from './lifecycle';
import type { Plan } from './plan';
import { readEventStream } from './sse';
import type { ConnectionSummary } from './types';

/** The parts of Backstage's discovery and fetch APIs the client needs. @public */
export type DatasetMigrationsClientOptions = {
  discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  fetchApi: { fetch: typeof fetch };
};

/** Options of `streamEvents`. @public */
export type StreamEventsOptions = {
  /** Resume after this event id (sent as `Last-Event-ID`). */
  lastEventId?: number;
  /**
   * False to receive the events already written and end there (a replay), instead of
   * following new ones until the migration is final. Default true.
   */
  follow?: boolean;
  signal?: AbortSignal;
  onEvent: (event: MigrationEvent) => void;
};

/** The Dataset Migrations API as the frontend (or another plugin) sees it. @public */
export interface DatasetMigrationsApi {
  listConnections(): Promise<{ items: ConnectionSummary[] }>;
  createPlan(entityRef: string): Promise<{ plan: Plan }>;
  startMigration(
    entityRef: string,
    planHash: string,
  ): Promise<{ migration: Migration }>;
  listMigrations(query?: MigrationListQuery): Promise<MigrationPage>;
  getMigration(id: string): Promise<{ migration: Migration }>;
  getMigrationStats(query?: MigrationListQuery): Promise<MigrationStats>;
  actOnMigration(
    id: string,
    action: MigrationAction,
  ): Promise<{ migration: Migration }>;
  /**
   * Streams the migration's events until it reaches a final status or `signal` aborts.
   * Resolves when the stream ends; rejects when the connection drops, so callers can
   * reconnect from the last event they saw.
   */
  streamEvents(id: string, options: StreamEventsOptions): Promise<void>;
  listWorkers(): Promise<{ items: FleetWorker[] }>;
}

function toSearch(query: MigrationListQuery = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** HTTP client of the backend plugin, authenticated through `fetchApi`. @public */
export class DatasetMigrationsClient implements DatasetMigrationsApi {
  constructor(private readonly options: DatasetMigrationsClientOptions) {}

  listConnections() {
    return this.json<{ items: ConnectionSummary[] }>('/connections');
  }

  createPlan(entityRef: string) {
    return this.json<{ plan: Plan }>('/plans', this.post({ entityRef }));
  }

  startMigration(entityRef: string, planHash: string) {
    return this.json<{ migration: Migration }>(
      '/migrations',
      this.post({ entityRef, planHash }),
    );
  }

  listMigrations(query?: MigrationListQuery) {
    return this.json<MigrationPage>(`/migrations${toSearch(query)}`);
  }

  getMigration(id: string) {
    return this.json<{ migration: Migration }>(
      `/migrations/${encodeURIComponent(id)}`,
    );
  }

  getMigrationStats(query?: MigrationListQuery) {
    return this.json<MigrationStats>(`/migrations/stats${toSearch(query)}`);
  }

  actOnMigration(id: string, action: MigrationAction) {
    return this.json<{ migration: Migration }>(
      `/migrations/${encodeURIComponent(id)}/${action}`,
      this.post({}),
    );
  }

  listWorkers() {
    return this.json<{ items: FleetWorker[] }>('/fleet/workers');
  }

  async streamEvents(id: string, options: StreamEventsOptions): Promise<void> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl(
      'dataset-migrations',
    );
    const query = options.follow === false ? '?follow=false' : '';
    await readEventStream({
      url: `${baseUrl}/migrations/${encodeURIComponent(id)}/events${query}`,
      fetch: this.options.fetchApi.fetch,
      lastEventId: options.lastEventId?.toString(),
      signal: options.signal,
      onData: data => options.onEvent(JSON.parse(data) as MigrationEvent),
    });
  }

  private post(body: unknown): RequestInit {
    return {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    };
  }

  private async fetch(path: string, init?: RequestInit): Promise<Response> {
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
    return response;
  }

  private async json<T>(path: string, init?: RequestInit): Promise<T> {
    return (await (await this.fetch(path, init)).json()) as T;
  }
}
