import { InfoCard } from '@backstage/core-components';
import type {
  Campaign,
  CampaignSelector,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { CampaignActions } from './CampaignActions';
import { campaignProgress } from './campaignProgress';
import { CampaignStatusLabel } from './CampaignStatus';
import { RefLink } from '../RefLink';
import { RelativeTime } from '../RelativeTime';

/** `connections: warehouse; nameGlob: page_*`. */
function describeSelector(selector: CampaignSelector): string {
  return Object.entries(selector)
    .filter(([, v]) => v !== undefined && (!Array.isArray(v) || v.length > 0))
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`)
    .join('; ');
}

/** The campaign's header: its status live, what it selects and how it is paced. */
export const CampaignSummary = ({
  campaign,
  onChanged,
}: {
  campaign: Campaign;
  onChanged: () => void;
}) => {
  const { done, total } = campaignProgress(campaign);
  return (
    <InfoCard title={campaign.name}>
      <Box aria-live="polite" aria-label="campaign status" mb={1}>
        <Typography variant="h6" component="p">
          <CampaignStatusLabel status={campaign.status} />
          {campaign.statusReason ? `: ${campaign.statusReason}` : ''}
        </Typography>
        <Typography variant="body2">
          {done.toLocaleString('en-US')} of {total.toLocaleString('en-US')}{' '}
          datasets finished.
        </Typography>
      </Box>
      <Typography variant="body2" color="textSecondary">
        Mode {campaign.mode}, agent {campaign.agentId}. Selector:{' '}
        {describeSelector(campaign.selector) || 'none'}. At most{' '}
        {campaign.pacing.maxRunning} running and{' '}
        {campaign.pacing.startsPerMinute} starts a minute; pauses itself above{' '}
        {Math.round(campaign.failureBudget.maxFailureRate * 100)}% failures in
        the last {campaign.failureBudget.window} finished. Created by{' '}
        <RefLink entityRef={campaign.createdBy} />{' '}
        <RelativeTime at={campaign.createdAt} />.
      </Typography>
      <CampaignActions campaign={campaign} onDone={onChanged} />
    </InfoCard>
  );
};
