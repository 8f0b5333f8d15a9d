import type { MigrationStats } from '@internal/backstage-plugin-dataset-migrations-common';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { fillDays } from './fillDays';

const BAR = 20;
const HEIGHT = 120;
const PLOT = 90;

/** Migrations per day over the last 30 days as inline SVG bars (no chart library). */
export const PerDayChart = ({
  perDay,
}: {
  perDay: MigrationStats['perDay'];
}) => {
  const theme = useTheme();
  const days = fillDays(perDay);
  if (days.length === 0) {
    return (
      <Typography variant="body2">
        No migrations in the last 30 days.
      </Typography>
    );
  }
  const max = Math.max(...days.map(d => d.count));
  const width = days.length * BAR;
  return (
    <>
      <svg
        role="img"
        aria-label="migrations per day"
        width="100%"
        height={HEIGHT}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        style={{ maxWidth: width * 1.5 }}
      >
        {days.map((d, i) => {
          const height =
            d.count === 0 ? 0 : Math.max(2, (d.count / max) * PLOT);
          return (
            <g key={d.day}>
              <title>{`${d.day}: ${d.count} migration${
                d.count === 1 ? '' : 's'
              }`}</title>
              <rect
                x={i * BAR + 3}
                y={100 - height}
                width={BAR - 6}
                height={height}
                fill={theme.palette.primary.main}
              />
              <text
                x={i * BAR + BAR / 2}
                y={114}
                fontSize={9}
                textAnchor="middle"
                fill={theme.palette.text.secondary}
              >
                {d.day.slice(8)}
              </text>
            </g>
          );
        })}
      </svg>
      <Typography variant="caption" color="textSecondary" display="block">
        {days[0].day} to {days[days.length - 1].day} (UTC), busiest day: {max}
      </Typography>
    </>
  );
};
