import type { Migration } from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { useEffect, useRef, useState } from 'react';
import { progressRate } from './progressRate';

const number = (n: number) => n.toLocaleString('en-US');

/** Rows copied out of the total, with a rate measured between successive updates. */
export const CopyProgress = ({ migration }: { migration: Migration }) => {
  const copy = migration.steps.find(s => s.name === 'copy');
  const done = copy?.progress.done ?? 0;
  const total = copy?.progress.total ?? null;
  const unit = copy?.progress.unit ?? 'rows';
  const last = useRef<{ done: number; at: number }>();
  const [rate, setRate] = useState<number>();
  useEffect(() => {
    const now = { done, at: Date.now() };
    const measured = progressRate(last.current, now);
    if (measured !== undefined && measured > 0) setRate(measured);
    last.current = now;
  }, [done]);
  const isRunning = copy?.status === 'running';
  const percent = total ? Math.min(100, (done / total) * 100) : 0;
  // Undone by a rollback or cancel: the copied rows went with the new table, so a
  // full bar would claim a copy that no longer exists.
  if (copy?.status === 'undone' || copy?.status === 'undoing') {
    return (
      <Box mt={2} mb={2}>
        <Typography variant="body2">
          {copy.status === 'undone'
            ? `Copy undone: the ${number(
                done,
              )} ${unit} copied went with the new table; the source is as it was.`
            : `Copy being undone: the ${number(
                done,
              )} ${unit} copied go with the new table.`}
        </Typography>
      </Box>
    );
  }
  return (
    <Box mt={2} mb={2}>
      <Typography variant="body2">
        Rows copied: {number(done)}
        {total !== null ? ` / ${number(total)}` : ''}
        {isRunning && rate ? ` · ${number(Math.round(rate))} ${unit}/s` : ''}
      </Typography>
      <LinearProgress
        variant={isRunning && total === null ? 'indeterminate' : 'determinate'}
        value={copy?.status === 'succeeded' ? 100 : percent}
        aria-label="copy progress"
      />
    </Box>
  );
};
