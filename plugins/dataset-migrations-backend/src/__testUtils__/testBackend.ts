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

type TestBackend = Awaited<ReturnType<typeof startTestBackend>>;
const started: TestBackend[] = [];

/** Starts such a backend and returns its HTTP server, for `supertest`. */
export async function startTestPlugin(options: TestBackendOptions) {
  const backend = await startTestBackend({
    features: testBackendFeatures(options),
  });
  started.push(backend);
  return backend.server;
}

/**
 * Stops the backends `startTestPlugin` started: their workers finish or abandon their
 * step and their connections close. backend-test-utils stops them only after the
 * file's last test, so a test whose temporary folder holds a SQLite database calls this
 * before removing the folder: a migration still cleaning up writes its journal there
 * while the folder goes (ENOTEMPTY, seen in CI).
 */
export async function stopTestPlugins(): Promise<void> {
  const stopping = started.splice(0);
  await Promise.all(stopping.map(backend => backend.stop()));
}
