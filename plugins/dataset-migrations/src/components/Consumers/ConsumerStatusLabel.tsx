import {
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type { ConsumerStatus } from '@internal/backstage-plugin-dataset-migrations-common';

/** Each status as an owner reads it. */
export const CONSUMER_STATUS_TEXT: Record<ConsumerStatus, string> = {
  verified: 'patched and verified',
  'needs-review': 'needs a person',
  repointed: 'already repointed',
  'pr-open': 'pull request open',
};

export const ConsumerStatusLabel = ({ status }: { status: ConsumerStatus }) => {
  const text = CONSUMER_STATUS_TEXT[status];
  switch (status) {
    case 'verified':
    case 'repointed':
      return <StatusOK>{text}</StatusOK>;
    case 'pr-open':
      return <StatusRunning>{text}</StatusRunning>;
    case 'needs-review':
      return <StatusWarning>{text}</StatusWarning>;
    default:
      return <StatusPending>{text}</StatusPending>;
  }
};
