import type { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  defaultEntityPresentation,
  entityPresentationApiRef,
  EntityPresentationApi,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import type {
  CampaignsApi,
  DatasetMigrationsApi,
  RolloutsApi,
} from '@internal/backstage-plugin-dataset-migrations-common';
import {
  campaignsApiRef,
  datasetMigrationsApiRef,
  rolloutsApiRef,
} from '../api';
import { catalogIndexRouteRef, rootRouteRef } from '../routes';
import { campaignsApiWith } from './campaignFixtures';
import { apiWith } from './fixtures';
import { rolloutsApiWith } from './rolloutFixtures';

export type PluginAppOptions = {
  /** The methods the test expects; any other call fails the test. */
  api?: Partial<DatasetMigrationsApi>;
  /** The campaigns methods the test expects, likewise. */
  campaigns?: Partial<CampaignsApi>;
  /** The rollouts methods the test expects, likewise. */
  rollouts?: Partial<RolloutsApi>;
  /** The permission decision for every request (ALLOW by default). */
  authorize?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  /** What the in-memory catalog holds. */
  entities?: Entity[];
  initialRouteEntries?: string[];
  mountPath?: string;
  /** The app's signals; without it the app has no signals plugin. */
  signals?: SignalApi;
};

/**
 * The catalog's entity presentation over the in-memory catalog, as the app's catalog
 * plugin provides it: a user with a display name reads as that name.
 */
function presentationOf(entities: Entity[]): EntityPresentationApi {
  return {
    forEntity(entityOrRef) {
      const ref =
        typeof entityOrRef === 'string'
          ? entityOrRef
          : stringifyEntityRef(entityOrRef);
      const entity = entities.find(e => stringifyEntityRef(e) === ref);
      const snapshot = defaultEntityPresentation(entity ?? entityOrRef);
      return { snapshot, promise: Promise.resolve(snapshot) };
    },
  };
}

/**
 * Renders in a new-frontend-system test app with the plugin's API, a permission
 * decision and an in-memory catalog, and with the plugin page and the catalog's
 * entity pages mounted so links resolve.
 */
export function renderInPluginApp(
  element: JSX.Element,
  options: PluginAppOptions = {},
) {
  return renderInTestApp(element, {
    apis: [
      [datasetMigrationsApiRef, apiWith(options.api ?? {})],
      [campaignsApiRef, campaignsApiWith(options.campaigns ?? {})],
      [rolloutsApiRef, rolloutsApiWith(options.rollouts ?? {})],
      mockApis.permission({
        authorize: options.authorize ?? AuthorizeResult.ALLOW,
      }),
      catalogApiMock({ entities: options.entities ?? [] }),
      [entityPresentationApiRef, presentationOf(options.entities ?? [])],
      ...(options.signals ? [[signalApiRef, options.signals] as const] : []),
    ],
    mountedRoutes: {
      '/dataset-migrations': rootRouteRef,
      '/catalog/:namespace/:kind/:name': entityRouteRef,
      '/catalog': catalogIndexRouteRef,
    },
    initialRouteEntries: options.initialRouteEntries,
    mountPath: options.mountPath,
  });
}
