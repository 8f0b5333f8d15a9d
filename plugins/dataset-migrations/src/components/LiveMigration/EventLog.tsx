import { LogViewer } from '@backstage/core-components';
import type { MigrationEvent } from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

const time = (iso: string) => new Date(iso).toLocaleTimeString('en-US');

/** One line of the log: the time, the step in brackets, the message. */
export const eventLine = (e: MigrationEvent) =>
  `${time(e.createdAt)} ${e.step ? `[${e.step}] ` : ''}${e.message}`;

/**
 * The migration's event log, oldest first, in Backstage's LogViewer as the scaffolder
 * shows a task's log: it searches, links lines, goes full screen and follows the end
 * as events stream in.
 */
export const EventLog = ({ events }: { events: MigrationEvent[] }) => (
  <Box mt={2} role="region" aria-label="event log">
    {events.length === 0 ? (
      <Typography variant="body2">Waiting for events…</Typography>
    ) : (
      <Box height={320}>
        <LogViewer text={events.map(eventLine).join('\n')} />
      </Box>
    )}
  </Box>
);
