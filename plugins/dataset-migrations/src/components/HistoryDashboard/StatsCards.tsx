import { InfoCard } from '@backstage/core-components';
import type { MigrationStats } from '@internal/backstage-plugin-dataset-migrations-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { PerDayChart } from './PerDayChart';
import { StatusCountsChart } from './StatusCountsChart';
import { SuccessRateChart } from './SuccessRateChart';

/** Counts by status, success rate and migrations per day for the filtered history. */
export const StatsCards = ({ stats }: { stats: MigrationStats }) => (
  <Grid container spacing={2}>
    <Grid item xs={12} md={4}>
      <InfoCard title="By status">
        <Typography variant="h4" aria-label="total migrations">
          {stats.total.toLocaleString('en-US')}
        </Typography>
        <StatusCountsChart stats={stats} />
      </InfoCard>
    </Grid>
    <Grid item xs={12} md={3}>
      <InfoCard title="Success rate">
        <SuccessRateChart stats={stats} />
      </InfoCard>
    </Grid>
    <Grid item xs={12} md={5}>
      <InfoCard title="Migrations per day">
        <PerDayChart perDay={stats.perDay} />
      </InfoCard>
    </Grid>
  </Grid>
);
