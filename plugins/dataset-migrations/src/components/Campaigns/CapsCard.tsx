import { InfoCard } from '@backstage/core-components';
import type { CampaignDetail } from '@internal/backstage-plugin-dataset-migrations-common';
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
function scopeName(scope: string): string {
  const at = scope.indexOf(':');
  const kind = at < 0 ? scope : scope.slice(0, at);
  const name = at < 0 ? '' : scope.slice(at + 1);
  return `${SCOPE_NAMES[kind] ?? kind}${name ? ` ${name}` : ''}`;
}

const Load = ({
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

/** The caps in force on the campaign's work and the load on each right now. */
export const CapsCard = ({ campaign }: { campaign: CampaignDetail }) => (
  <InfoCard title="Caps in force">
    <div aria-label="caps" role="list">
      {campaign.caps.map(cap => (
        <div role="listitem" key={cap.scope}>
          <Load
            label={`${scopeName(cap.scope)} running`}
            used={cap.running}
            cap={cap.cap}
          />
        </div>
      ))}
      <div role="listitem">
        <Load
          label="Starts in the last minute"
          used={campaign.startsLastMinute}
          cap={campaign.pacing.startsPerMinute}
        />
      </div>
    </div>
  </InfoCard>
);
