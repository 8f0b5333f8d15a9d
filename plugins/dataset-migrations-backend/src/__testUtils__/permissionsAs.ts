import type { PermissionsService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

export type Decide = (
  permission: string,
  resourceRef: string | undefined,
  userRef: string,
) => boolean;

/** A policy as a function of (permission name, dataset, user). */
export function permissionsAs(decide: Decide) {
  const userOf = (credentials: any) =>
    credentials?.principal?.userEntityRef ?? 'service';
  const impl: Partial<PermissionsService> = {
    async authorize(requests: any[], options: any) {
      return requests.map(r => ({
        result: decide(
          r.permission.name,
          r.resourceRef,
          userOf(options.credentials),
        )
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      })) as any;
    },
    async authorizeConditional(requests: any[], options: any) {
      return requests.map(r =>
        decide(r.permission.name, undefined, userOf(options.credentials))
          ? { result: AuthorizeResult.ALLOW }
          : {
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditions: { rule: 'IS_ENTITY_OWNER', params: { claims: [] } },
            },
      ) as any;
    },
  };
  return mockServices.permissions.mock(impl).factory;
}
