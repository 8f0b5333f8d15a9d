import {
  FINAL_MIGRATION_STATUSES,
  type Migration,
  type MigrationStep,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import type { Theme } from '@material-ui/core/styles';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import { formatSpan } from '../MigrationHistory/formatDuration';

/** How long a step took, or has been running so far, like the scaffolder's task steps. */
function stepDuration(step: MigrationStep, now: string): string | undefined {
  if (!step.startedAt) return undefined;
  if (step.finishedAt) return formatSpan(step.startedAt, step.finishedAt);
  return step.status === 'running'
    ? formatSpan(step.startedAt, now)
    : undefined;
}

const stepCaption = (step: MigrationStep, now: string) => {
  const duration = stepDuration(step, now);
  return `${step.status.replace('_', ' ')}${duration ? ` · ${duration}` : ''}${
    step.attempts > 1 ? ` · attempt ${step.attempts}` : ''
  }`;
};

/**
 * The step to highlight: the one being undone during a rollback, none once a migration
 * ended without completing (its steps are undone or never ran: highlighting the first
 * would read as "about to start"), otherwise the first not yet succeeded.
 */
export function activeStepOf(migration: Migration): number {
  const { steps, status } = migration;
  const undoing = steps.findIndex(s => s.status === 'undoing');
  if (undoing !== -1) return undoing;
  const hasEnded =
    FINAL_MIGRATION_STATUSES.includes(status) && status !== 'completed';
  if (hasEnded || steps.some(s => s.status === 'undone')) return -1;
  const next = steps.findIndex(s => s.status !== 'succeeded');
  return next === -1 ? steps.length : next;
}

/**
 * The steps of a migration, each with its state, duration and attempts: across the
 * card on a wide screen, down it on a narrow one, where seven labels side by side
 * would wrap letter by letter.
 */
export const MigrationStepper = ({ migration }: { migration: Migration }) => {
  const isNarrow = useMediaQuery((theme: Theme) =>
    theme.breakpoints.down('xs'),
  );
  const now = new Date().toISOString();
  return (
    <Stepper
      activeStep={activeStepOf(migration)}
      alternativeLabel={!isNarrow}
      orientation={isNarrow ? 'vertical' : 'horizontal'}
      aria-label="steps"
    >
      {migration.steps.map(step => (
        <Step key={step.name} completed={step.status === 'succeeded'}>
          <StepLabel
            error={step.status === 'failed'}
            optional={
              <Tooltip title={step.error ?? ''}>
                <Typography
                  variant="caption"
                  color={step.status === 'failed' ? 'error' : 'textSecondary'}
                  aria-label={`${step.name}: ${stepCaption(step, now)}`}
                >
                  {stepCaption(step, now)}
                </Typography>
              </Tooltip>
            }
          >
            {step.name}
          </StepLabel>
        </Step>
      ))}
    </Stepper>
  );
};
