import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';

const SCOPE_NAMES: Record<string, string> = {
  campaign: 'This campaign',
  'source-connection': 'Source connection',
  'target-connection': 'Target connection',
  owner: 'Owner',
};

/** `source-connection:warehouse` as "Source connection warehouse". */
export function scopeName(scope: string): string {
  const at = scope.indexOf(':');
  const kind = at < 0 ? scope : scope.slice(0, at);
  const name = at < 0 ? '' : scope.slice(at + 1);
  return `${SCOPE_NAMES[kind] ?? kind}${name ? ` ${name}` : ''}`;
}

/** One cap and its load as a bar: "Source connection warehouse running: 2 / 4". */
export const CapLoad = ({
  label,
  used,
  cap,
}: {
  label: string;
  used: number;
  cap: number;
}) => (
  <Box mb={1}>
    <Typography variant="body2">
      {label}: {used} / {cap}
    </Typography>
    <LinearProgress
      variant="determinate"
      value={cap > 0 ? Math.min(100, (used / cap) * 100) : 0}
      color={used >= cap ? 'secondary' : 'primary'}
      aria-label={`${label}: ${used} of ${cap}`}
    />
  </Box>
);
