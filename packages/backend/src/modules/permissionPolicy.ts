import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  datasetMigratePermission,
  datasetMigrationsAdminPermission,
} from '@internal/backstage-plugin-dataset-migrations-common';

/** The group whose members administer the fleet in the demo (examples/org.yaml). */
export const DEMO_ADMIN_GROUP = 'group:default/dataset-migrations-admins';

/**
 * The demo's permission policy: the owners of a dataset (its owner group's members)
 * may plan and migrate it, nobody else may; members of the admin group administer
 * the fleet; everything else (reading migrations included) is allowed.
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (isPermission(request.permission, datasetMigrationsAdminPermission)) {
      return {
        result: user?.info.ownershipEntityRefs.includes(DEMO_ADMIN_GROUP)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    if (isPermission(request.permission, datasetMigratePermission)) {
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({
          claims: user?.info.ownershipEntityRefs ?? [],
        }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new DemoPermissionPolicy());
      },
    });
  },
});
