import {
  StatusError,
  StatusOK,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type {
  FleetInstanceStatus,
  FleetWorkerState,
} from '@internal/backstage-plugin-dataset-migrations-common';

/** A worker's or an instance's state with Backstage's status colours. */
export const WorkerState = ({
  state,
}: {
  state: FleetWorkerState | FleetInstanceStatus;
}) => {
  switch (state) {
    case 'running':
      return <StatusRunning>running</StatusRunning>;
    case 'restarting':
      return <StatusWarning>restarting</StatusWarning>;
    case 'lost':
      return <StatusError>lost</StatusError>;
    case 'alive':
      return <StatusOK>alive</StatusOK>;
    default:
      return <StatusOK>idle</StatusOK>;
  }
};
