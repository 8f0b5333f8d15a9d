import {
  MIGRATION_STATUSES,
  MigrationStats,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { StatusLabel } from '../StatusLabel';

/** One bar per status that occurs, in lifecycle order, scaled to the total. */
export const StatusCountsChart = ({ stats }: { stats: MigrationStats }) => {
  const rows = MIGRATION_STATUSES.map(status => ({
    status,
    count: stats.byStatus[status] ?? 0,
  })).filter(r => r.count > 0);
  return (
    <ul
      aria-label="counts by status"
      style={{ listStyle: 'none', padding: 0, margin: 0 }}
    >
      {rows.map(({ status, count }) => (
        <li key={status} aria-label={`${status}: ${count}`}>
          <Box display="flex" justifyContent="space-between">
            <StatusLabel status={status} />
            <Typography variant="body2">
              {count.toLocaleString('en-US')} (
              {Math.round(stats.total ? (count / stats.total) * 100 : 0)}%)
            </Typography>
          </Box>
          <LinearProgress
            variant="determinate"
            value={stats.total ? (count / stats.total) * 100 : 0}
            aria-label={`${status} share`}
          />
        </li>
      ))}
    </ul>
  );
};
