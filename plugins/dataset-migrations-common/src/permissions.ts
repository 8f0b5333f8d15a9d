import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Migrating a dataset (start, cancel, retry, roll back, finalize): a resource
 * permission on the dataset's catalog entity, so policies can decide by ownership.
 *
 * @public
 */
export const datasetMigratePermission = createPermission({
  name: 'dataset-migrations.dataset.migrate',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Administering the fleet (workers, rollouts, campaigns). @public */
export const datasetMigrationsAdminPermission = createPermission({
  name: 'dataset-migrations.admin',
  attributes: {},
});

/** All permissions of the plugin. @public */
export const datasetMigrationsPermissions = [
  datasetMigratePermission,
  datasetMigrationsAdminPermission,
];
