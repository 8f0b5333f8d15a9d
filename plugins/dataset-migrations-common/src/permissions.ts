import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Migrating a dataset (plan previews, which run queries on its database; start,
 * cancel, retry, roll back, finalize): a resource permission on the dataset's catalog
 * entity, so policies can decide by ownership.
 *
 * @public
 */
export const datasetMigratePermission = createPermission({
  name: 'dataset-migrations.dataset.migrate',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Reading a dataset's migrations, their events and steps: a resource permission on the
 * dataset's catalog entity. Lists show only the migrations of datasets the caller may
 * read; stats across datasets need it unconditionally (or a filter on one dataset).
 *
 * @public
 */
export const datasetMigrationReadPermission = createPermission({
  name: 'dataset-migrations.migration.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Administering the fleet: today, seeing its workers. @public */
export const datasetMigrationsAdminPermission = createPermission({
  name: 'dataset-migrations.admin',
  attributes: {},
});

/** All permissions of the plugin. @public */
export const datasetMigrationsPermissions = [
  datasetMigratePermission,
  datasetMigrationReadPermission,
  datasetMigrationsAdminPermission,
];
