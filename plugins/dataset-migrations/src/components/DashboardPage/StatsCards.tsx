import { InfoCard } from '@backstage/core-components';
import type {
  MigrationStats,
  MigrationStatus,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { StatusLabel } from '../StatusChip';
import { PerDayChart } from './PerDayChart';

/** Counts by status, success rate and migrations per day for the filtered history. */
export const StatsCards = ({ stats }: { stats: MigrationStats }) => (
  <Grid container spacing={2}>
    <Grid item xs={12} md={4}>
      <InfoCard title="By status">
        <Typography variant="h4">{stats.total}</Typography>
        <ul aria-label="counts by status">
          {Object.entries(stats.byStatus).map(([status, count]) => (
            <li key={status}>
              <StatusLabel status={status as MigrationStatus} />: {count}
            </li>
          ))}
        </ul>
      </InfoCard>
    </Grid>
    <Grid item xs={12} md={3}>
      <InfoCard title="Success rate">
        <Typography variant="h4" aria-label="success rate">
          {stats.successRate === null
            ? '—'
            : `${Math.round(stats.successRate * 100)}%`}
        </Typography>
        <Typography variant="body2">
          completed of completed, failed and rolled back
        </Typography>
      </InfoCard>
    </Grid>
    <Grid item xs={12} md={5}>
      <InfoCard title="Migrations per day">
        <PerDayChart perDay={stats.perDay} />
      </InfoCard>
    </Grid>
  </Grid>
);
