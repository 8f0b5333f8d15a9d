import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  MIGRATION_STEPS,
  Migration,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import Typography from '@material-ui/core/Typography';
import { useEffect, useRef, useState } from 'react';
import { useMigrationEventStream } from '../../hooks/useMigrationEventStream';
import { StatusLabel } from '../StatusChip';
import { EventLog } from './EventLog';
import { MigrationActions } from './MigrationActions';
import { progressRate } from './progressRate';

const ProgressBar = ({ migration }: { migration: Migration }) => {
  const copy = migration.steps.find(s => s.name === 'copy');
  const last = useRef<{ done: number; at: number }>();
  const [rate, setRate] = useState<number>();
  const done = copy?.progress.done ?? 0;
  const total = copy?.progress.total ?? null;
  useEffect(() => {
    const now = { done, at: Date.now() };
    const r = progressRate(last.current, now);
    if (r !== undefined && r > 0) setRate(r);
    last.current = now;
  }, [done]);
  const percent = total ? Math.min(100, (done / total) * 100) : 0;
  return (
    <Box mt={2} mb={2}>
      <Typography variant="body2">
        Rows copied: {done.toLocaleString('en-US')}
        {total !== null ? ` / ${total.toLocaleString('en-US')}` : ''}
        {rate ? ` · ${Math.round(rate).toLocaleString('en-US')} rows/s` : ''}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={percent}
        aria-label="copy progress"
      />
    </Box>
  );
};

/** The live view of one migration: steps, progress, actions and the event log. */
export const LiveMigration = ({
  id,
  title,
  onStatus,
}: {
  id: string;
  title?: string;
  onStatus?: (status: Migration['status']) => void;
}) => {
  const { migration, events, error, isReconnecting } =
    useMigrationEventStream(id);
  const [override, setOverride] = useState<Migration>();
  const shown =
    override && migration && override.updatedAt > migration.updatedAt
      ? override
      : migration;
  const status = shown?.status;
  useEffect(() => {
    if (status) onStatus?.(status);
  }, [status, onStatus]);
  if (error && !shown) return <ResponseErrorPanel error={error} />;
  if (!shown) return <Progress />;
  const activeStep = MIGRATION_STEPS.findIndex(
    name => shown.steps.find(s => s.name === name)?.status !== 'succeeded',
  );

  return (
    <InfoCard
      title={title ?? `Migration of ${shown.entityRef}`}
      subheader={
        <span>
          <StatusLabel status={shown.status} /> · started by {shown.createdBy} ·
          agent {shown.agent.id}@{shown.agent.version}
          {isReconnecting ? ' · reconnecting to the live log…' : ''}
        </span>
      }
    >
      <Stepper
        activeStep={activeStep === -1 ? MIGRATION_STEPS.length : activeStep}
        alternativeLabel
      >
        {shown.steps.map(step => (
          <Step key={step.name} completed={step.status === 'succeeded'}>
            <StepLabel
              error={step.status === 'failed'}
              optional={
                <Typography variant="caption">
                  {step.status}
                  {step.attempts > 1 ? ` · ${step.attempts} attempts` : ''}
                </Typography>
              }
            >
              {step.name}
            </StepLabel>
          </Step>
        ))}
      </Stepper>
      <ProgressBar migration={shown} />
      {shown.error && (
        <Typography color="error" role="alert" gutterBottom>
          {shown.error}
        </Typography>
      )}
      <MigrationActions migration={shown} onDone={setOverride} />
      <EventLog events={events} />
    </InfoCard>
  );
};
