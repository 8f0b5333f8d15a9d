import type { Rollout } from '@internal/backstage-plugin-dataset-migrations-common';
import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';

/**
 * The rollout's traffic steps, the one in force highlighted: the steps before it are
 * done; a promoted rollout has done them all; an aborted one stopped at its step.
 */
export const RolloutStepper = ({ rollout }: { rollout: Rollout }) => {
  const isDone = rollout.status === 'promoted';
  return (
    <Stepper
      activeStep={isDone ? rollout.steps.length : rollout.step}
      alternativeLabel
      aria-label="rollout steps"
    >
      {rollout.steps.map((share, index) => {
        const isCurrent = index === rollout.step && !isDone;
        return (
          <Step key={share} completed={isDone || index < rollout.step}>
            <StepLabel
              error={isCurrent && rollout.status === 'aborted'}
              aria-current={isCurrent ? 'step' : undefined}
            >
              {share} %
            </StepLabel>
          </Step>
        );
      })}
    </Stepper>
  );
};
