import type { Migration } from '@internal/backstage-plugin-dataset-migrations-common';
import Typography from '@material-ui/core/Typography';

/**
 * One sentence saying what the migration does now. It names the step, not its
 * progress: screen readers announce each change of a live region, and a row count
 * that moves every second would drown everything else.
 */
export function currentStepSentence(migration: Migration): string {
  const { steps, status } = migration;
  const index = steps.findIndex(
    s => s.status === 'running' || s.status === 'undoing',
  );
  if (index >= 0) {
    const step = steps[index];
    return `${step.status === 'undoing' ? 'Undoing' : 'Running'} step ${
      index + 1
    } of ${steps.length}: ${step.name}`;
  }
  if (status === 'queued') return 'Queued: waiting for a worker to start it';
  return `Migration ${status.replaceAll('_', ' ')}`;
}

/** The current step, in a polite live region: announced when it changes. */
export const CurrentStepStatus = ({ migration }: { migration: Migration }) => (
  <Typography variant="body2" role="status" aria-live="polite" gutterBottom>
    {currentStepSentence(migration)}
  </Typography>
);
