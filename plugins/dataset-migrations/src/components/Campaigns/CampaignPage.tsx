import { InfoCard } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import { useParams } from 'react-router-dom';
import { campaignsRouteRef } from '../../routes';
import { DetailPageFrame } from '../DetailPageFrame';
import { BlockedReasons } from './BlockedReasons';
import { BurndownChart } from './BurndownChart';
import { CampaignDatasetsTable } from './CampaignDatasetsTable';
import { CampaignSummary } from './CampaignSummary';
import { CapsCard } from './CapsCard';
import { ConsumersCard } from './ConsumersCard';
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
  const { detail, error, isReconnecting, refresh } = useCampaignDetail(id);
  return (
    <DetailPageFrame
      what={`campaign ${id}`}
      listPath={listPath}
      listLabel="All campaigns"
      detail={detail}
      error={error}
      isReconnecting={isReconnecting}
    >
      {loaded => (
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <CampaignSummary campaign={loaded} onChanged={refresh} />
          </Grid>
          <Grid item xs={12} md={8}>
            <InfoCard title="Burndown">
              <BurndownChart points={loaded.burndown} />
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={4}>
            <InfoCard title={`Datasets by state (${loaded.total})`}>
              <StateCounts counts={loaded.counts} />
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <InfoCard title={`Blocked (${loaded.counts.blocked})`}>
              <BlockedReasons reasons={loaded.blockedReasons} />
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <CapsCard campaign={loaded} />
          </Grid>
          <Grid item xs={12} md={6}>
            <ConsumersCard consumers={loaded.consumers} />
          </Grid>
          <Grid item xs={12}>
            <OwnersTable owners={loaded.owners} />
          </Grid>
          <Grid item xs={12}>
            <RunningMigrations
              campaignId={loaded.id}
              running={loaded.counts.running}
              refreshKey={loaded}
            />
          </Grid>
          <Grid item xs={12}>
            <CampaignDatasetsTable
              campaignId={loaded.id}
              refreshKey={JSON.stringify(loaded.counts)}
            />
          </Grid>
        </Grid>
      )}
    </DetailPageFrame>
  );
};
