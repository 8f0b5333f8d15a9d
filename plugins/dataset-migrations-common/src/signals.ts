/**
 * Signals of the Dataset Migrations plugin: which channels the backend publishes on
 * and what a message holds. Signals are broadcast to every signed-in user, so a
 * message says only that something changed (opaque ids); the change itself is read
 * through the permission-checked API.
 */

/** The channel on which every change of the migration list is signalled. @public */
export const MIGRATIONS_SIGNAL_CHANNEL = 'dataset-migrations:migrations';

/** The channel on which each new event of migration `id` is signalled. @public */
export function migrationSignalChannel(id: string): string {
  return `dataset-migrations:migration:${id}`;
}

/** A new event in a migration's log: fetch the events after the last one seen. @public */
export type MigrationEventSignal = {
  migrationId: string;
  eventId: number;
};

/** A migration was created or its status changed: fetch the list again. @public */
export type MigrationListSignal = {
  migrationId: string;
};
