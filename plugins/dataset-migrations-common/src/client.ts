import { ResponseError } from '@backstage/errors';
import type {
  DatasetNewHome,
  FleetWorker,
  Migration,
  MigrationEvent,
  MigrationListQuery,
  MigrationPage,
  MigrationStats,
} from './migration';
import type { MigrationAction } from './lifecycle';
import type { FleetOverview } from './fleet';
import type { Plan } from './plan';
import { responseBody } from './responseBody';
import { DefaultApiClient } from './schema/openapi';
import { readEventStream } from './sse';
import type { ConnectionSummary } from './types';
import type { ConsumerReport, ConsumerReportList } from './consumer';
import type { DatasetTable } from './datasetTable';

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
  /**
   * Acts on a migration. Finalize is refused (409) while consumers' code still reads
   * the old name, unless `overrideConsumers` is set.
   */
  actOnMigration(
    id: string,
    action: MigrationAction,
    options?: { overrideConsumers?: boolean },
  ): Promise<{ migration: Migration }>;
  /** The consumer agent's report per consumer of the migration's dataset. */
  listConsumers(id: string): Promise<ConsumerReportList>;
  /** Reads, rewrites and proves the consumers' code again. */
  checkConsumers(id: string): Promise<ConsumerReportList>;
  /** Opens a pull request with a consumer's patch (code on a GitHub integration). */
  openConsumerPullRequest(
    id: string,
    consumerRef: string,
  ): Promise<{ report: ConsumerReport }>;
  /** A consumer's patch, a unified diff. */
  getConsumerPatch(id: string, consumerRef: string): Promise<string>;
  /**
   * Streams the migration's events until it reaches a final status or `signal` aborts.
   * Resolves when the stream ends; rejects when the connection drops, so callers can
   * reconnect from the last event they saw.
   */
  streamEvents(id: string, options: StreamEventsOptions): Promise<void>;
  /**
   * Where the dataset's table lives now, when completed migrations moved it away from
   * `location` (its location annotation); null when none did.
   */
  getDatasetNewHome(
    entityRef: string,
    location: string,
  ): Promise<{ newHome: DatasetNewHome | null }>;
  /**
   * Whether the table `location` (the dataset's location annotation) names exists now
   * on its connection; unknown, with the reason, when the connection cannot be asked.
   */
  getDatasetTable(
    entityRef: string,
    location: string,
  ): Promise<{ table: DatasetTable }>;
  listWorkers(): Promise<{ items: FleetWorker[] }>;
  /** The fleet's health: instances and their workers, cap loads, queue length (admins). */
  getFleet(): Promise<FleetOverview>;
}

/** The generated client's call for each action on a migration. */
const ACTIONS: Record<
  MigrationAction,
  (
    api: DefaultApiClient,
    id: string,
  ) => ReturnType<DefaultApiClient['cancelMigration']>
> = {
  cancel: (api, id) => api.cancelMigration({ path: { id }, body: {} }),
  retry: (api, id) => api.retryMigration({ path: { id }, body: {} }),
  rollback: (api, id) => api.rollbackMigration({ path: { id }, body: {} }),
  finalize: (api, id) => api.finalizeMigration({ path: { id }, body: {} }),
};

/**
 * HTTP client of the backend plugin, authenticated through `fetchApi`. The JSON routes
 * go through the client generated from the backend's OpenAPI spec (`yarn
 * generate:openapi`), so a request or answer that drifts from the spec does not
 * compile; the event stream is read here. @public
 */
export class DatasetMigrationsClient implements DatasetMigrationsApi {
  private readonly api: DefaultApiClient;

  constructor(private readonly options: DatasetMigrationsClientOptions) {
    this.api = new DefaultApiClient(options);
  }

  listConnections(): Promise<{ items: ConnectionSummary[] }> {
    return responseBody(this.api.listConnections({}));
  }

  createPlan(entityRef: string): Promise<{ plan: Plan }> {
    return responseBody(this.api.createPlan({ body: { entityRef } }));
  }

  startMigration(
    entityRef: string,
    planHash: string,
  ): Promise<{ migration: Migration }> {
    return responseBody(
      this.api.startMigration({ body: { entityRef, planHash } }),
    );
  }

  listMigrations(query?: MigrationListQuery): Promise<MigrationPage> {
    return responseBody(this.api.listMigrations({ query }));
  }

  getMigration(id: string): Promise<{ migration: Migration }> {
    return responseBody(this.api.getMigration({ path: { id } }));
  }

  getMigrationStats(query?: MigrationListQuery): Promise<MigrationStats> {
    return responseBody(this.api.getMigrationStats({ query }));
  }

  actOnMigration(
    id: string,
    action: MigrationAction,
    options?: { overrideConsumers?: boolean },
  ): Promise<{ migration: Migration }> {
    if (action === 'finalize' && options?.overrideConsumers) {
      return responseBody(
        this.api.finalizeMigration({
          path: { id },
          body: { overrideConsumers: true },
        }),
      );
    }
    return responseBody(ACTIONS[action](this.api, id));
  }

  listConsumers(id: string): Promise<ConsumerReportList> {
    return responseBody(this.api.listMigrationConsumers({ path: { id } }));
  }

  checkConsumers(id: string): Promise<ConsumerReportList> {
    return responseBody(
      this.api.checkMigrationConsumers({ path: { id }, body: {} }),
    );
  }

  openConsumerPullRequest(
    id: string,
    consumerRef: string,
  ): Promise<{ report: ConsumerReport }> {
    return responseBody(
      this.api.openConsumerPullRequest({
        path: { id, consumer: consumerRef },
        body: {},
      }),
    );
  }

  async getConsumerPatch(id: string, consumerRef: string): Promise<string> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl(
      'dataset-migrations',
    );
    const response = await this.options.fetchApi.fetch(
      `${baseUrl}/migrations/${encodeURIComponent(
        id,
      )}/consumers/${encodeURIComponent(consumerRef)}/patch`,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.text();
  }

  getDatasetNewHome(
    entityRef: string,
    location: string,
  ): Promise<{ newHome: DatasetNewHome | null }> {
    return responseBody(
      this.api.getDatasetNewHome({ query: { entityRef, location } }),
    );
  }

  getDatasetTable(
    entityRef: string,
    location: string,
  ): Promise<{ table: DatasetTable }> {
    return responseBody(
      this.api.getDatasetTable({ query: { entityRef, location } }),
    );
  }

  listWorkers(): Promise<{ items: FleetWorker[] }> {
    return responseBody(this.api.listWorkers({}));
  }

  getFleet(): Promise<FleetOverview> {
    return responseBody(this.api.getFleet({}));
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
}
