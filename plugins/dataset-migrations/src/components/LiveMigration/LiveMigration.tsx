import { InfoCard, Progress } from '@backstage/core-components';
import type { Migration } from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { ReactNode, useEffect, useRef } from 'react';
import { BackendErrorPanel, ReconnectingNotice } from '../BackendErrorPanel';
import { BackendStatusProvider } from '../BackendStatus';
import { RefLink } from '../RefLink';
import { RelativeTime } from '../RelativeTime';
import { StatusLabel } from '../StatusLabel';
import { ConsumersSection } from '../Consumers/ConsumersSection';
import { CopyProgress } from './CopyProgress';
import { CurrentStepStatus } from './CurrentStepStatus';
import { EventLog } from './EventLog';
import { MigrationActions } from './MigrationActions';
import { MigrationStepper } from './MigrationStepper';
import {
  MigrationEventStreamOptions,
  useMigrationEventStream,
} from './useMigrationEventStream';

export type LiveMigrationProps = {
  id: string;
  /** The card's title, or how to make it from the migration once loaded. */
  title?: ReactNode | ((migration: Migration) => ReactNode);
  /** Called with every status the migration reaches. */
  onStatus?: (status: Migration['status']) => void;
  streamOptions?: MigrationEventStreamOptions;
  /**
   * Scrolls the card into view and moves focus to it once it shows: for a migration
   * the person just started, whose dialog closed under them.
   */
  isFocused?: boolean;
};

/** The live view of one migration: steps, copy progress, actions and the event log. */
export const LiveMigration = ({
  id,
  title,
  onStatus,
  streamOptions,
  isFocused = false,
}: LiveMigrationProps) => {
  const { migration, events, error, isReconnecting, accept } =
    useMigrationEventStream(id, streamOptions);
  const status = migration?.status;
  useEffect(() => {
    if (status) onStatus?.(status);
  }, [status, onStatus]);
  const card = useRef<HTMLDivElement>(null);
  const isShown = Boolean(migration);
  useEffect(() => {
    if (!isFocused || !isShown || !card.current) return;
    card.current.focus({ preventScroll: true });
    // jsdom has no scrolling.
    card.current.scrollIntoView?.({ behavior: 'smooth', block: 'start' });
  }, [isFocused, isShown]);
  if (error && !migration) {
    return (
      <BackendErrorPanel
        error={error}
        title="Could not load the migration"
        isRetrying={isReconnecting}
      />
    );
  }
  if (!migration) return <Progress />;

  return (
    <BackendStatusProvider isReconnecting={isReconnecting}>
      <div
        ref={card}
        tabIndex={-1}
        role="region"
        aria-label="Live migration"
        style={{ outlineOffset: 2 }}
      >
        <InfoCard
          title={
            (typeof title === 'function' ? title(migration) : title) ??
            'Migration'
          }
          subheader={
            // StatusLabel is a flex box of its own: a wrapping row keeps it on the line.
            <Box
              component="span"
              display="flex"
              flexWrap="wrap"
              alignItems="baseline"
              style={{ gap: 8 }}
            >
              <StatusLabel status={migration.status} />
              <span>
                <RefLink
                  entityRef={migration.entityRef}
                  defaultKind="resource"
                />{' '}
                · started by <RefLink entityRef={migration.createdBy} />{' '}
                <RelativeTime at={migration.createdAt} /> · agent{' '}
                {migration.agent.id}@{migration.agent.version} · plan{' '}
                {migration.planHash.slice(0, 12)}
              </span>
            </Box>
          }
        >
          {isReconnecting && <ReconnectingNotice />}
          <MigrationStepper migration={migration} />
          <CurrentStepStatus migration={migration} />
          <CopyProgress migration={migration} />
          {migration.error && (
            <Typography color="error" role="alert" gutterBottom>
              {migration.error}
            </Typography>
          )}
          <MigrationActions migration={migration} onDone={accept} />
          {/* Consumers are checked once the migration is cut over. */}
          {migration.steps.some(
            s => s.name === 'cutover' && s.status === 'succeeded',
          ) && <ConsumersSection migration={migration} />}
          <EventLog events={events} />
        </InfoCard>
      </div>
    </BackendStatusProvider>
  );
};
