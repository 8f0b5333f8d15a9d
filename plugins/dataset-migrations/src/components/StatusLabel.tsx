import type {
  MigrationStatus,
  StepStatus,
} from '@internal/backstage-plugin-dataset-migrations-common';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';

/** A migration or step status with Backstage's status colours. */
export const StatusLabel = ({
  status,
}: {
  status: MigrationStatus | StepStatus;
}) => {
  const text = status.replaceAll('_', ' ');
  switch (status) {
    case 'completed':
    case 'succeeded':
      return <StatusOK>{text}</StatusOK>;
    case 'failed':
    case 'cleanup_failed':
      return <StatusError>{text}</StatusError>;
    case 'running':
    case 'rolling_back':
    case 'cleaning_up':
    case 'undoing':
      return <StatusRunning>{text}</StatusRunning>;
    // Cut over and working: readers use the new table, the old name is kept for
    // them until the grace period ends or an owner finalizes. Nothing is wrong.
    case 'awaiting_cleanup':
      return <StatusOK>{text}</StatusOK>;
    case 'cancelled':
    case 'rolled_back':
    case 'undone':
      return <StatusAborted>{text}</StatusAborted>;
    default:
      return <StatusPending>{text}</StatusPending>;
  }
};
