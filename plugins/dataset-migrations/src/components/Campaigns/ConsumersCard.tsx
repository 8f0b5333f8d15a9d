import { InfoCard } from '@backstage/core-components';
import type {
  CampaignConsumerCounts,
  ConsumerStatus,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { ConsumerStatusLabel } from '../Consumers/ConsumerStatusLabel';

const ROWS: Array<[ConsumerStatus, keyof CampaignConsumerCounts]> = [
  ['repointed', 'repointed'],
  ['pr-open', 'prOpen'],
  ['verified', 'verified'],
  ['needs-review', 'needsReview'],
];

/**
 * The consumers of the campaign's migrations, as the consumer agent last found them:
 * how many already read the new names, and how many wait on a pull request, a patch or
 * a person. Each consumer of each migrated dataset counts once.
 */
export const ConsumersCard = ({
  consumers,
}: {
  consumers: CampaignConsumerCounts;
}) => (
  <InfoCard title="Consumers">
    <Typography variant="body1" aria-label="consumers repointed">
      {consumers.total === 0
        ? 'No consumers checked yet: they are checked as each migration is cut over.'
        : `${consumers.repointed.toLocaleString(
            'en-US',
          )} of ${consumers.total.toLocaleString(
            'en-US',
          )} consumers repointed.`}
    </Typography>
    <Box
      component="dl"
      aria-label="consumers by status"
      mt={1}
      mb={0}
      style={{
        display: 'grid',
        gridTemplateColumns: 'max-content auto',
        gap: '4px 16px',
      }}
    >
      {ROWS.map(([status, key]) => (
        <Box key={status} display="contents">
          <dt>
            <ConsumerStatusLabel status={status} />
          </dt>
          <dd style={{ margin: 0, textAlign: 'right' }}>
            {consumers[key].toLocaleString('en-US')}
          </dd>
        </Box>
      ))}
    </Box>
  </InfoCard>
);
