import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  datasetMigratePermission,
  datasetMigrationReadPermission,
  datasetMigrationsAdminPermission,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { DEMO_ADMIN_GROUP, DemoPermissionPolicy } from './permissionPolicy';

const userIn = (...groups: string[]): PolicyQueryUser =>
  ({
    identity: {
      type: 'user',
      userEntityRef: 'user:default/someone',
      ownershipEntityRefs: ['user:default/someone', ...groups],
    },
    info: {
      userEntityRef: 'user:default/someone',
      ownershipEntityRefs: ['user:default/someone', ...groups],
    },
    token: 'token',
    credentials: {} as any,
  } as unknown as PolicyQueryUser);

describe('DemoPermissionPolicy', () => {
  const policy = new DemoPermissionPolicy();

  it('gives the fleet admin permission to the admin group only', async () => {
    const admin = await policy.handle(
      { permission: datasetMigrationsAdminPermission },
      userIn(DEMO_ADMIN_GROUP),
    );
    expect(admin.result).toBe(AuthorizeResult.ALLOW);
    const owner = await policy.handle(
      { permission: datasetMigrationsAdminPermission },
      userIn('group:default/data-platform'),
    );
    expect(owner.result).toBe(AuthorizeResult.DENY);
    const nobody = await policy.handle({
      permission: datasetMigrationsAdminPermission,
    });
    expect(nobody.result).toBe(AuthorizeResult.DENY);
  });

  it('lets owners migrate (a catalog condition) and everyone read migrations', async () => {
    const migrate = await policy.handle(
      { permission: datasetMigratePermission },
      userIn('group:default/data-platform'),
    );
    expect(migrate).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        params: {
          claims: ['user:default/someone', 'group:default/data-platform'],
        },
      },
    });
    const read = await policy.handle(
      { permission: datasetMigrationReadPermission },
      userIn(),
    );
    expect(read.result).toBe(AuthorizeResult.ALLOW);
  });
});
