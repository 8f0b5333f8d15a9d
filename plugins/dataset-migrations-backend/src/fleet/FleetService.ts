import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  FleetOverview,
  FleetWorker,
} from '@internal/backstage-plugin-dataset-migrations-common';
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
      /** Silent for longer, an instance or worker is lost (see `fleetTimings`). */
      lostAfterMs: number;
    },
  ) {}

  async listWorkers(credentials: BackstageCredentials): Promise<FleetWorker[]> {
    await this.options.access.requireAdmin(credentials, 'see the workers');
    return this.options.store.listWorkers(this.options.workerAliveMs);
  }

  /** The fleet page: instances and their workers, the load on every cap, the queue. */
  async overview(credentials: BackstageCredentials): Promise<FleetOverview> {
    const { store, access, lostAfterMs } = this.options;
    await access.requireAdmin(credentials, 'see the fleet');
    const [instances, caps, queueLength] = await Promise.all([
      store.listInstances(new Date(Date.now() - lostAfterMs)),
      store.capLoads(),
      store.queueLength(),
    ]);
    return { instances, caps, queueLength, lostAfterMs };
  }
}
