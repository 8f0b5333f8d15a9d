import type { MigrationEvent } from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useEffect, useRef } from 'react';

/** The migration's event log, newest at the bottom, following as events stream in. */
export const EventLog = ({ events }: { events: MigrationEvent[] }) => {
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'nearest' });
  }, [events.length]);
  return (
    <Box
      mt={2}
      maxHeight={260}
      overflow="auto"
      border={1}
      borderColor="divider"
      borderRadius={4}
      p={1}
    >
      {events.length === 0 ? (
        <Typography variant="body2">Waiting for events…</Typography>
      ) : (
        <ol
          aria-label="event log"
          style={{
            margin: 0,
            paddingLeft: 24,
            fontFamily: 'monospace',
            fontSize: 12,
          }}
        >
          {events.map((e, i) => (
            <li key={e.id} ref={i === events.length - 1 ? end : undefined}>
              {e.createdAt} {e.step ? `[${e.step}] ` : ''}
              {e.message}
            </li>
          ))}
        </ol>
      )}
    </Box>
  );
};
