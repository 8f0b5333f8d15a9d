import { mockServices } from '@backstage/backend-test-utils';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { MigrationService } from '../execute/MigrationService';
import { DatasetAccess } from '../permissions/DatasetAccess';
import type { PlanService } from '../plan/PlanService';
import type { MigrationStore } from '../store/MigrationStore';

/**
 * The service behind the API's actions (rollback, cancel, finalize, retry) over `store`,
 * allowing everything: for tests that act on a stored migration without planning one
 * (no plans, no catalog).
 */
export function testMigrationService(
  store: MigrationStore,
  connections: ConnectionRegistry,
): MigrationService {
  return new MigrationService({
    store,
    plans: {} as PlanService,
    catalog: {} as CatalogService,
    access: new DatasetAccess(mockServices.permissions()),
    connections,
    onQueued: () => {},
  });
}
