import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  datasetMigratePermission,
  datasetMigrationReadPermission,
  datasetMigrationsAdminPermission,
} from '@internal/backstage-plugin-dataset-migrations-common';

/**
 * The services' questions to the permission framework. Dataset permissions are
 * resource permissions on the dataset's catalog entity, so a policy's conditions
 * (e.g. isEntityOwner) are applied by the catalog for each entity ref.
 */
export class DatasetAccess {
  constructor(private readonly permissions: PermissionsService) {}

  /** The entity refs among `entityRefs` the caller holds `permission` on (one request). */
  async allowedRefs(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    entityRefs: string[],
  ): Promise<Set<string>> {
    const distinct = [...new Set(entityRefs)];
    if (distinct.length === 0) return new Set();
    const decisions = await this.permissions.authorize(
      distinct.map(resourceRef => ({ permission, resourceRef })),
      { credentials },
    );
    return new Set(
      distinct.filter((_, i) => decisions[i]?.result === AuthorizeResult.ALLOW),
    );
  }

  /** Throws `refusal` as a NotAllowedError unless the caller holds `permission` on `entityRef`. */
  private async require(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
    refusal: string,
  ): Promise<void> {
    const allowed = await this.allowedRefs(credentials, permission, [
      entityRef,
    ]);
    if (!allowed.has(entityRef)) throw new NotAllowedError(refusal);
  }

  requireRead(credentials: BackstageCredentials, entityRef: string) {
    return this.require(
      credentials,
      datasetMigrationReadPermission,
      entityRef,
      `You may not see the migrations of ${entityRef}: that needs permission ${datasetMigrationReadPermission.name} on it; ask its owners or an admin`,
    );
  }

  requireMigrate(credentials: BackstageCredentials, entityRef: string) {
    return this.require(
      credentials,
      datasetMigratePermission,
      entityRef,
      `You may not migrate ${entityRef}: only its owners can (permission ${datasetMigratePermission.name})`,
    );
  }

  /** Plan previews run queries on the dataset's database: they need the migrate permission. */
  requirePlan(credentials: BackstageCredentials, entityRef: string) {
    return this.require(
      credentials,
      datasetMigratePermission,
      entityRef,
      `You may not plan a migration of ${entityRef}: plans run queries on its database, so they need permission ${datasetMigratePermission.name} on it (by default its owners have it)`,
    );
  }

  async isAdmin(credentials: BackstageCredentials): Promise<boolean> {
    const [decision] = await this.permissions.authorize(
      [{ permission: datasetMigrationsAdminPermission }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  async requireAdmin(
    credentials: BackstageCredentials,
    what: string,
  ): Promise<void> {
    if (!(await this.isAdmin(credentials))) {
      throw new NotAllowedError(
        `Only fleet administrators can ${what} (permission ${datasetMigrationsAdminPermission.name})`,
      );
    }
  }

  /**
   * Whether the caller may read every dataset's migrations: the policy allows the read
   * permission without conditions, or the caller is an admin. Aggregates across
   * datasets (stats) cannot be filtered per item.
   */
  async canReadAll(credentials: BackstageCredentials): Promise<boolean> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission: datasetMigrationReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return true;
    return this.isAdmin(credentials);
  }
}
