import { mockServices } from '@backstage/backend-test-utils';
import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import type { ConnectionRegistry } from '../connections/ConnectionRegistry';
import type { StepContext } from '../execute/steps/Step';

/** What a step persisted through its context, for tests to read and rewind. */
export type StepRecord = {
  checkpoint?: unknown;
  events: Array<{ message: string; data?: Record<string, unknown> }>;
};

/**
 * A step's context over real connections (`src` and `dst` of the registry), with the
 * checkpoint and events kept in `record` instead of the plugin's store: for tests that
 * run one step directly, or rewind its checkpoint to replay a crash.
 */
export function stepContext(
  registry: ConnectionRegistry,
  plan: Plan,
  record: StepRecord,
  /** Runs after every progress report: tests write to the source from here. */
  onProgress: () => Promise<void> = async () => undefined,
): StepContext {
  const side = (connection: string) => ({
    connection,
    knex: registry.get(connection),
    dialect: registry.dialect(connection),
  });
  return {
    migrationId: 'm-test',
    entityRef: plan.entityRef,
    plan,
    source: side('src'),
    target: side(plan.target.connection),
    signal: new AbortController().signal,
    logger: mockServices.logger.mock(),
    checkpoint: async <T>() => record.checkpoint as T | undefined,
    progress: async ({ checkpoint, event }) => {
      if (checkpoint !== undefined) record.checkpoint = checkpoint;
      if (event) record.events.push(event);
      await onProgress();
    },
    event: async (message, data) => {
      record.events.push({ message, data });
    },
  };
}
