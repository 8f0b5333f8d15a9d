import type { MigrationStats } from '@internal/backstage-plugin-dataset-migrations-common';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';

/** Migrations per day as a small bar chart (inline SVG: no chart library needed). */
export const PerDayChart = ({
  perDay,
}: {
  perDay: MigrationStats['perDay'];
}) => {
  const theme = useTheme();
  if (perDay.length === 0)
    return (
      <Typography variant="body2">
        No migrations in the last 30 days.
      </Typography>
    );
  const max = Math.max(...perDay.map(d => d.count));
  const width = 24;
  return (
    <svg
      role="img"
      aria-label="migrations per day"
      width={perDay.length * width}
      height={120}
    >
      {perDay.map((d, i) => {
        const height = Math.max(2, (d.count / max) * 90);
        return (
          <g key={d.day}>
            <title>{`${d.day}: ${d.count}`}</title>
            <rect
              x={i * width + 4}
              y={100 - height}
              width={width - 8}
              height={height}
              fill={theme.palette.primary.main}
            />
            <text
              x={i * width + width / 2}
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
  );
};
