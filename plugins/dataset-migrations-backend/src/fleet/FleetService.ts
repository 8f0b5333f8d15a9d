import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { FleetWorker } from '@internal/backstage-plugin-dataset-migrations-common';
import type { DatasetAccess } from '../permissions/DatasetAccess';
import type { MigrationStore } from '../store/MigrationStore';

/** What fleet administrators see of the workers of every instance. */
export class FleetService {
  constructor(
    private readonly options: {
      store: MigrationStore;
      access: DatasetAccess;
      /** How long a worker's heartbeat counts as alive. */
      workerAliveMs: number;
    },
  ) {}

  async listWorkers(credentials: BackstageCredentials): Promise<FleetWorker[]> {
    await this.options.access.requireAdmin(credentials, 'see the workers');
    return this.options.store.listWorkers(this.options.workerAliveMs);
  }
}
