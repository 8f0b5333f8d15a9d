import type {
  Migration,
  MigrationStep,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';

const stepCaption = (step: MigrationStep) =>
  `${step.status.replace('_', ' ')}${
    step.attempts > 1 ? ` · attempt ${step.attempts}` : ''
  }`;

/** The steps of a migration, each with its state and attempts. */
export const MigrationStepper = ({ migration }: { migration: Migration }) => {
  const active = migration.steps.findIndex(s => s.status !== 'succeeded');
  return (
    <Stepper
      activeStep={active === -1 ? migration.steps.length : active}
      alternativeLabel
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
                  aria-label={`${step.name}: ${stepCaption(step)}`}
                >
                  {stepCaption(step)}
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
