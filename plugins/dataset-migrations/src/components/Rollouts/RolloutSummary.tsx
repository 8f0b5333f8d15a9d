import { InfoCard } from '@backstage/core-components';
import type { Rollout } from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { AbortRolloutButton } from './AbortRolloutButton';
import { describeStep, formatRate } from './rolloutNumbers';
import { RolloutStatusLabel } from './RolloutStatus';
import { RolloutStepper } from './RolloutStepper';
import { RefLink } from '../RefLink';
import { RelativeTime } from '../RelativeTime';

/** The rollout's header: status, step and share live, the stepper, its gates. */
export const RolloutSummary = ({
  rollout,
  onChanged,
}: {
  rollout: Rollout;
  onChanged: () => void;
}) => {
  const { gates } = rollout;
  return (
    <InfoCard
      title={`${rollout.agentId} ${rollout.candidateVersion} → stable ${rollout.stableVersion}`}
    >
      <Box aria-live="polite" aria-label="rollout status" mb={1}>
        <Typography variant="h6" component="p">
          <RolloutStatusLabel status={rollout.status} />:{' '}
          {describeStep(rollout)}, {rollout.share} % of new migrations
        </Typography>
        <Typography variant="body2" color="textSecondary">
          In force since <RelativeTime at={rollout.stepStartedAt} />.
        </Typography>
      </Box>
      <RolloutStepper rollout={rollout} />
      <Typography variant="body2" color="textSecondary" aria-label="gates">
        Each step needs at least {rollout.minPerStep} finished candidate
        migrations and {rollout.bakeSeconds} s of bake time. Gates: failure rate
        at most {formatRate(gates.maxFailureRateMargin)}, rollback rate at most{' '}
        {formatRate(gates.maxRollbackRateMargin)} and verify mismatch rate at
        most {formatRate(gates.maxVerifyMismatchMargin)} above stable; copy
        throughput at least {formatRate(gates.minThroughputShare)} of stable. On
        abort, running candidate migrations{' '}
        {rollout.onAbort === 'finish' ? 'finish' : 'roll back'}. Started by{' '}
        <RefLink entityRef={rollout.createdBy} />{' '}
        <RelativeTime at={rollout.createdAt} />.
      </Typography>
      <AbortRolloutButton rollout={rollout} onDone={onChanged} />
    </InfoCard>
  );
};
