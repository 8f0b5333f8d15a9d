import {
  CAMPAIGN_DATASET_STATES,
  type CampaignDatasetState,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import { CampaignDatasetStateLabel } from './CampaignStatus';

/** How many of the campaign's datasets are in each state, in the order they move. */
export const StateCounts = ({
  counts,
}: {
  counts: Record<CampaignDatasetState, number>;
}) => (
  <Box
    component="dl"
    aria-label="datasets by state"
    m={0}
    style={{
      display: 'grid',
      gridTemplateColumns: 'max-content auto',
      gap: '4px 16px',
    }}
  >
    {CAMPAIGN_DATASET_STATES.map(state => (
      <Box key={state} display="contents">
        <dt>
          <CampaignDatasetStateLabel state={state} />
        </dt>
        <dd style={{ margin: 0, textAlign: 'right' }}>
          {(counts[state] ?? 0).toLocaleString('en-US')}
        </dd>
      </Box>
    ))}
  </Box>
);
