import type { BackendFeature } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { datasetMigrationsPlugin } from '../plugin';

/** What the mock root config holds: JSON (tests give object literals). */
type ConfigData = NonNullable<
  Parameters<typeof mockServices.rootConfig.factory>[0]
>['data'];

export type TestBackendOptions = {
  /** What app-config holds under `datasetMigrations`: connections, rules, executor. */
  config: Record<string, unknown>;
  /** The catalog's entities (default: none). */
  entities?: Entity[];
  /** The permission service (default: allows everything). */
  permissions?: BackendFeature;
  /** The catalog service, instead of a mock over `entities`. */
  catalog?: BackendFeature;
  /** More services: the plugin's database, an auditor. */
  features?: BackendFeature[];
};

/** The features of a backend that runs only this plugin, over mocked Backstage services. */
export function testBackendFeatures(
  options: TestBackendOptions,
): BackendFeature[] {
  return [
    datasetMigrationsPlugin,
    options.permissions ?? mockServices.permissions.factory(),
    mockServices.rootConfig.factory({
      data: { datasetMigrations: options.config } as ConfigData,
    }),
    options.catalog ??
      catalogServiceMock.factory({ entities: options.entities ?? [] }),
    ...(options.features ?? []),
  ];
}

/** Starts such a backend and returns its HTTP server, for `supertest`. */
export async function startTestPlugin(options: TestBackendOptions) {
  const { server } = await startTestBackend({
    features: testBackendFeatures(options),
  });
  return server;
}
