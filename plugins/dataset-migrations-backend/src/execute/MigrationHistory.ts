import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  datasetMigrationReadPermission,
  DatasetNewHome,
  FINAL_MIGRATION_STATUSES,
  Migration,
  MigrationEvent,
  MigrationListQuery,
  MigrationPage,
  MigrationStats,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { findNewHome } from '../newHome/followMoves';
import type { DatasetAccess } from '../permissions/DatasetAccess';
import type { MigrationStore } from '../store/MigrationStore';
import { toApiMigration } from './MigrationService';

/** Where a live event stream reads a migration's events from. */
export type MigrationEventSource = {
  eventsAfter(afterId: number): Promise<MigrationEvent[]>;
  /** Gone or final: once every event was sent, the stream ends. */
  isFinished(): Promise<boolean>;
};

/**
 * What people may read of past and running migrations: each answer holds only the
 * datasets the caller has the read permission on.
 */
export class MigrationHistory {
  constructor(
    private readonly options: { store: MigrationStore; access: DatasetAccess },
  ) {}

  /**
   * A page holds only the migrations of datasets the caller may read (one authorize
   * request for the page's distinct datasets); it may come out shorter than `limit`
   * while `nextCursor` still leads on.
   */
  async list(
    query: MigrationListQuery,
    credentials: BackstageCredentials,
  ): Promise<MigrationPage> {
    const page = await this.options.store.listMigrations(query);
    const readable = await this.options.access.allowedRefs(
      credentials,
      datasetMigrationReadPermission,
      page.items.map(m => m.entityRef),
    );
    return {
      ...page,
      items: page.items.filter(m => readable.has(m.entityRef)),
    };
  }

  /** Aggregates cannot be filtered per item: one dataset's, or all for who may read all. */
  async stats(
    filters: Omit<MigrationListQuery, 'limit' | 'cursor'>,
    credentials: BackstageCredentials,
  ): Promise<MigrationStats> {
    const { access, store } = this.options;
    if (filters.entityRef) {
      await access.requireRead(credentials, filters.entityRef);
    } else if (!(await access.canReadAll(credentials))) {
      throw new NotAllowedError(
        `Stats across all datasets need permission ${datasetMigrationReadPermission.name} on every dataset; ask for stats of one dataset with ?entityRef=`,
      );
    }
    return store.getStats(filters);
  }

  async get(id: string, credentials: BackstageCredentials): Promise<Migration> {
    const record = await this.options.store.getMigration(id);
    if (!record) throw new NotFoundError(`No migration ${id}`);
    await this.options.access.requireRead(credentials, record.entityRef);
    return toApiMigration(record);
  }

  /**
   * Where the dataset's table lives now, when its completed migrations moved it away
   * from `location` (the location its catalog entity names), for a caller who may read
   * the dataset's migrations.
   */
  async newHome(
    entityRef: string,
    location: string,
    credentials: BackstageCredentials,
  ): Promise<DatasetNewHome | undefined> {
    await this.options.access.requireRead(credentials, entityRef);
    return findNewHome(this.options.store, entityRef, location);
  }

  /** The migration's event log, for a caller who may read it. */
  async events(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<MigrationEventSource> {
    await this.get(id, credentials);
    const { store } = this.options;
    return {
      eventsAfter: afterId => store.listEvents(id, afterId),
      isFinished: async () => {
        const state = await store.getState(id);
        return !state || FINAL_MIGRATION_STATUSES.includes(state.status);
      },
    };
  }
}
