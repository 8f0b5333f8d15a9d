import type { MigrationEvent } from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useEffect, useRef } from 'react';

const time = (iso: string) => new Date(iso).toLocaleTimeString('en-US');

/** The migration's event log, oldest first, following as events stream in. */
export const EventLog = ({ events }: { events: MigrationEvent[] }) => {
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'nearest' });
  }, [events.length]);
  return (
    <Box
      mt={2}
      maxHeight={300}
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
            <li
              key={e.id}
              ref={i === events.length - 1 ? end : undefined}
              title={e.createdAt}
            >
              {time(e.createdAt)} {e.step ? `[${e.step}] ` : ''}
              {e.message}
            </li>
          ))}
        </ol>
      )}
    </Box>
  );
};
