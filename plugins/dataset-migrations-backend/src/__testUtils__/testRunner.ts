import { mockServices } from '@backstage/backend-test-utils';
import type {
  MigrationStatus,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { ConnectionRegistry } from '../connections/ConnectionRegistry';
import {
  DEFAULT_EXECUTOR_SETTINGS,
  ExecutorSettings,
} from '../execute/ExecutorSettings';
import { MigrationRunner } from '../execute/MigrationRunner';
import type { MigrationRecord, MigrationStore } from '../store/MigrationStore';
import { createTestMigration } from './testStore';

/** The executor's settings for tests: the defaults, with retries 10 ms apart. */
export function testSettings(
  overrides: Partial<ExecutorSettings> = {},
): ExecutorSettings {
  return { ...DEFAULT_EXECUTOR_SETTINGS, retryBaseMs: 10, ...overrides };
}

/** The real runner over `store` and `connections`, with `testSettings(settings)`. */
export function testRunner(
  store: MigrationStore,
  connections: ConnectionRegistry,
  settings: Partial<ExecutorSettings> = {},
): MigrationRunner {
  return new MigrationRunner({
    store,
    connections,
    settings: testSettings(settings),
    logger: mockServices.logger.mock(),
  });
}

/**
 * Runs migration `id` as one worker would, a run at a time, while its status is one of
 * `whileStatus` (default: queued or running), at most `maxRuns` times, and returns it
 * as it is then: the test asserts the status. A run ends early when a step is to be
 * retried after a backoff; like a worker, the next run waits for it.
 */
export async function driveMigration(
  runner: MigrationRunner,
  store: MigrationStore,
  id: string,
  options: {
    whileStatus?: MigrationStatus[];
    maxRuns?: number;
    worker?: string;
  } = {},
): Promise<MigrationRecord> {
  const {
    whileStatus = ['queued', 'running'],
    maxRuns = 20,
    worker = 'test-worker',
  } = options;
  for (let i = 0; i < maxRuns; i++) {
    const migration = (await store.getMigration(id))!;
    if (!whileStatus.includes(migration.status)) return migration;
    const backoff = migration.runAfter
      ? Date.parse(migration.runAfter) - Date.now()
      : 0;
    if (backoff > 0) await new Promise(r => setTimeout(r, backoff));
    await runner.run(migration, worker, new AbortController().signal);
  }
  return (await store.getMigration(id))!;
}

/**
 * Creates a migration of `plan` and gives it one run of a test runner, as one worker's
 * claim would, and returns it as it is then.
 */
export async function runMigrationOnce(
  store: MigrationStore,
  connections: ConnectionRegistry,
  plan: Plan,
): Promise<MigrationRecord> {
  const { id } = await createTestMigration(store, plan);
  return driveMigration(testRunner(store, connections), store, id, {
    maxRuns: 1,
  });
}
