import type { MigrationStats } from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';

/** The success rate as a number and a two-part bar: completed against failed or rolled back. */
export const SuccessRateChart = ({ stats }: { stats: MigrationStats }) => {
  const theme = useTheme();
  const finished =
    (stats.byStatus.completed ?? 0) +
    (stats.byStatus.failed ?? 0) +
    (stats.byStatus.rolled_back ?? 0);
  if (stats.successRate === null) {
    return (
      <>
        <Typography variant="h4" aria-label="success rate">
          —
        </Typography>
        <Typography variant="body2">
          No migration has finished yet: the rate appears once one completes,
          fails or is rolled back.
        </Typography>
      </>
    );
  }
  const percent = Math.round(stats.successRate * 100);
  return (
    <>
      <Typography variant="h4" aria-label="success rate">
        {percent}%
      </Typography>
      <Box mt={1} mb={1}>
        <svg
          width="100%"
          height={12}
          viewBox="0 0 100 12"
          preserveAspectRatio="none"
          aria-hidden
        >
          <rect
            width={100}
            height={12}
            fill={theme.palette.error.main}
            opacity={0.8}
          />
          <rect
            width={stats.successRate * 100}
            height={12}
            fill={theme.palette.success.main}
          />
        </svg>
      </Box>
      <Typography variant="body2" color="textSecondary">
        {stats.byStatus.completed ?? 0} completed of {finished} finished
        (completed, failed or rolled back)
      </Typography>
    </>
  );
};
