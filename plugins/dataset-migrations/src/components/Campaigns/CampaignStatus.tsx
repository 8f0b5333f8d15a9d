import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type {
  CampaignDatasetState,
  CampaignStatus,
} from '@internal/backstage-plugin-dataset-migrations-common';

const text = (value: string) => value.replaceAll('_', ' ');

/** A campaign's own status with Backstage's status colours. */
export const CampaignStatusLabel = ({ status }: { status: CampaignStatus }) => {
  switch (status) {
    case 'active':
      return <StatusRunning>{status}</StatusRunning>;
    case 'paused':
      return <StatusWarning>{status}</StatusWarning>;
    case 'completed':
      return <StatusOK>{status}</StatusOK>;
    default:
      return <StatusAborted>{status}</StatusAborted>;
  }
};

/**
 * One dataset's state in a campaign. Blocked and awaiting approval wait on a person and
 * are warnings; awaiting cleanup is a cut-over dataset that works, so it is not.
 */
export const CampaignDatasetStateLabel = ({
  state,
}: {
  state: CampaignDatasetState;
}) => {
  switch (state) {
    case 'completed':
    case 'awaiting_cleanup':
      return <StatusOK>{text(state)}</StatusOK>;
    case 'failed':
      return <StatusError>{text(state)}</StatusError>;
    case 'running':
      return <StatusRunning>{text(state)}</StatusRunning>;
    case 'blocked':
    case 'awaiting_approval':
      return <StatusWarning>{text(state)}</StatusWarning>;
    case 'rolled_back':
    case 'skipped':
      return <StatusAborted>{text(state)}</StatusAborted>;
    default:
      return <StatusPending>{text(state)}</StatusPending>;
  }
};
