import type { MigrationStatus } from '@internal/backstage-plugin-dataset-migrations-common';

/**
 * A migration whose run is over: its data moved, or it failed or was rolled back. A
 * change into one of these sets the migration's `finished_at`, by which the rollout
 * gates select a version's runs of a window (the state migration
 * 20261204000000_hot_progress keeps its own copy of this list).
 */
export const RAN_STATUSES: MigrationStatus[] = [
  'awaiting_cleanup',
  'cleaning_up',
  'cleanup_failed',
  'completed',
  'failed',
  'rolled_back',
];
