import type { CampaignBurndownPoint } from '@internal/backstage-plugin-dataset-migrations-common';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';

const WIDTH = 600;
const HEIGHT = 160;
const LEFT = 40;
const BOTTOM = 140;
const TOP = 10;

const n = (value: number) => value.toLocaleString('en-US');
const time = (at: string) =>
  new Date(at).toLocaleString('en-US', {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });

/** The burndown in one sentence: the text alternative of the chart. */
export function describeBurndown(points: CampaignBurndownPoint[]): string {
  if (points.length === 0) return 'No burndown yet: nothing has been planned.';
  const first = points[0];
  const last = points[points.length - 1];
  const finished = first.remaining - last.remaining;
  return `${n(last.remaining)} dataset${
    last.remaining === 1 ? '' : 's'
  } remaining, down from ${n(first.remaining)} at ${time(first.at)}: ${n(
    Math.max(0, finished),
  )} finished over ${points.length} point${points.length === 1 ? '' : 's'}.`;
}

/**
 * Datasets remaining over time as an inline SVG line (no chart library, like the
 * history's charts), described in a sentence for screen readers and in a table on demand.
 */
export const BurndownChart = ({
  points,
}: {
  points: CampaignBurndownPoint[];
}) => {
  const theme = useTheme();
  const description = describeBurndown(points);
  if (points.length === 0) {
    return <Typography variant="body2">{description}</Typography>;
  }
  const times = points.map(p => new Date(p.at).getTime());
  const start = times[0];
  const span = Math.max(1, times[times.length - 1] - start);
  const max = Math.max(1, ...points.map(p => p.remaining));
  const x = (t: number) => LEFT + ((t - start) / span) * (WIDTH - LEFT - 10);
  const y = (remaining: number) => BOTTOM - (remaining / max) * (BOTTOM - TOP);
  const line = points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(times[i])},${y(p.remaining)}`)
    .join(' ');
  return (
    <>
      <svg
        role="img"
        aria-label="burndown: datasets remaining over time"
        aria-describedby="campaign-burndown-description"
        width="100%"
        height={HEIGHT}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      >
        <line
          x1={LEFT}
          y1={BOTTOM}
          x2={WIDTH}
          y2={BOTTOM}
          stroke={theme.palette.divider}
        />
        <text
          x={LEFT - 4}
          y={TOP + 8}
          fontSize={10}
          textAnchor="end"
          fill={theme.palette.text.secondary}
        >
          {n(max)}
        </text>
        <text
          x={LEFT - 4}
          y={BOTTOM}
          fontSize={10}
          textAnchor="end"
          fill={theme.palette.text.secondary}
        >
          0
        </text>
        <path
          d={line}
          fill="none"
          stroke={theme.palette.primary.main}
          strokeWidth={2}
        />
        <text
          x={LEFT}
          y={BOTTOM + 14}
          fontSize={10}
          fill={theme.palette.text.secondary}
        >
          {time(points[0].at)}
        </text>
        <text
          x={WIDTH}
          y={BOTTOM + 14}
          fontSize={10}
          textAnchor="end"
          fill={theme.palette.text.secondary}
        >
          {time(points[points.length - 1].at)}
        </text>
      </svg>
      <Typography
        id="campaign-burndown-description"
        variant="body2"
        color="textSecondary"
      >
        {description}
      </Typography>
      <details>
        <summary>
          <Typography variant="caption">The burndown as a table</Typography>
        </summary>
        <table aria-label="burndown points">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Remaining</th>
            </tr>
          </thead>
          <tbody>
            {points.map(p => (
              <tr key={p.at}>
                <td>{time(p.at)}</td>
                <td>{n(p.remaining)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
};
