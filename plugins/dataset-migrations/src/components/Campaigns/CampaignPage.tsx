import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { useParams } from 'react-router-dom';
import { campaignsRouteRef } from '../../routes';
import { errorMessage } from '../errorMessage';
import { BlockedReasons } from './BlockedReasons';
import { BurndownChart } from './BurndownChart';
import { CampaignDatasetsTable } from './CampaignDatasetsTable';
import { CampaignSummary } from './CampaignSummary';
import { CapsCard } from './CapsCard';
import { OwnersTable } from './OwnersTable';
import { RunningMigrations } from './RunningMigrations';
import { StateCounts } from './StateCounts';
import { useCampaignDetail } from './useCampaignDetail';

/**
 * One campaign (`campaigns/:id`): everything here is aggregated by the backend, and
 * only the datasets table pages through the datasets, so it stays quick at 10,000.
 */
export const CampaignPage = () => {
  const { id = '' } = useParams();
  const listPath = useRouteRef(campaignsRouteRef)();
  const { detail, error, refresh } = useCampaignDetail(id);
  const back = (
    <Box mb={2}>
      <Link to={listPath}>← All campaigns</Link>
    </Box>
  );
  if (!detail) {
    return (
      <>
        {back}
        {error ? (
          <ResponseErrorPanel
            error={error}
            title={`Could not load campaign ${id}: ${errorMessage(error)}`}
          />
        ) : (
          <Progress />
        )}
      </>
    );
  }
  return (
    <>
      {back}
      {error && (
        <Box mb={2} role="alert">
          <ResponseErrorPanel
            error={error}
            title={`The last refresh failed, showing what was loaded before: ${errorMessage(
              error,
            )}`}
          />
        </Box>
      )}
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <CampaignSummary campaign={detail} onChanged={refresh} />
        </Grid>
        <Grid item xs={12} md={8}>
          <InfoCard title="Burndown">
            <BurndownChart points={detail.burndown} />
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={4}>
          <InfoCard title={`Datasets by state (${detail.total})`}>
            <StateCounts counts={detail.counts} />
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title={`Blocked (${detail.counts.blocked})`}>
            <BlockedReasons reasons={detail.blockedReasons} />
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={6}>
          <CapsCard campaign={detail} />
        </Grid>
        <Grid item xs={12}>
          <OwnersTable owners={detail.owners} />
        </Grid>
        <Grid item xs={12}>
          <RunningMigrations
            campaignId={detail.id}
            running={detail.counts.running}
            refreshKey={detail}
          />
        </Grid>
        <Grid item xs={12}>
          <CampaignDatasetsTable
            campaignId={detail.id}
            refreshKey={JSON.stringify(detail.counts)}
          />
        </Grid>
      </Grid>
    </>
  );
};
