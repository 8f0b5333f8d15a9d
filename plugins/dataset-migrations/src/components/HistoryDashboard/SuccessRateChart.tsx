import type { MigrationStats } from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';

const plural = (n: number, one: string, many: string) =>
  `${n} ${n === 1 ? one : many}`;

/**
 * The rollbacks people asked for: their choice, not a failure, so they stand apart
 * from the rate.
 */
const PersonRollbacks = ({ stats }: { stats: MigrationStats }) =>
  stats.rollbacks.requestedByPerson > 0 ? (
    <Typography variant="body2" color="textSecondary">
      Not counted:{' '}
      {plural(
        stats.rollbacks.requestedByPerson,
        'rollback a person asked for',
        'rollbacks people asked for',
      )}
      .
    </Typography>
  ) : null;

/**
 * The success rate as a number and a two-part bar: completed against failed or rolled
 * back after a failure. A rollback a person chose counts on neither side.
 */
export const SuccessRateChart = ({ stats }: { stats: MigrationStats }) => {
  const theme = useTheme();
  const failed = (stats.byStatus.failed ?? 0) + stats.rollbacks.automatic;
  const finished = (stats.byStatus.completed ?? 0) + failed;
  if (stats.successRate === null) {
    return (
      <>
        <Typography variant="h4" aria-label="success rate">
          —
        </Typography>
        <Typography variant="body2">
          No migration has finished yet: the rate appears once one completes or
          fails.
        </Typography>
        <PersonRollbacks stats={stats} />
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
        {failed > 0
          ? ` (${plural(
              failed,
              'failed or rolled back after a failure',
              'failed or rolled back after a failure',
            )})`
          : ''}
      </Typography>
      <PersonRollbacks stats={stats} />
    </>
  );
};
