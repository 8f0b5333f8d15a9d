import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import type {
  RolloutDecision,
  RolloutStatus,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { GateVerdict } from './gateChecks';

/** A rollout's status with Backstage's status colours. */
export const RolloutStatusLabel = ({ status }: { status: RolloutStatus }) => {
  switch (status) {
    case 'active':
      return <StatusRunning>{status}</StatusRunning>;
    case 'promoted':
      return <StatusOK>{status}</StatusOK>;
    default:
      return <StatusAborted>{status}</StatusAborted>;
  }
};

/** One decision of the timeline: promotions are good news, aborts bad, holds wait. */
export const DecisionLabel = ({
  decision,
}: {
  decision: RolloutDecision['decision'];
}) => {
  switch (decision) {
    case 'promote':
    case 'complete':
      return <StatusOK>{decision}</StatusOK>;
    case 'abort':
      return <StatusError>{decision}</StatusError>;
    case 'hold':
      return <StatusPending>{decision}</StatusPending>;
    default:
      return <StatusRunning>{decision}</StatusRunning>;
  }
};

/** A gate's verdict on the numbers shown. */
export const GateVerdictLabel = ({ verdict }: { verdict: GateVerdict }) => {
  switch (verdict) {
    case 'pass':
      return <StatusOK>pass</StatusOK>;
    case 'fail':
      return <StatusError>fail</StatusError>;
    default:
      return <StatusPending>not judged yet</StatusPending>;
  }
};
