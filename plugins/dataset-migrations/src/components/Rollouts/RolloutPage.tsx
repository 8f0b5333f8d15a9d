import { InfoCard } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import { useParams } from 'react-router-dom';
import { rolloutsRouteRef } from '../../routes';
import { DetailPageFrame } from '../DetailPageFrame';
import { DecisionTimeline } from './DecisionTimeline';
import { GateNumbersTable } from './GateNumbersTable';
import { RolloutSummary } from './RolloutSummary';
import { useRolloutDetail } from './useRolloutDetail';

/**
 * One rollout (`rollouts/:id`): where it stands, the numbers its gates compare and
 * every decision taken, refreshed while it is active.
 */
export const RolloutPage = () => {
  const { id = '' } = useParams();
  const listPath = useRouteRef(rolloutsRouteRef)();
  const { detail, error, isReconnecting, refresh } = useRolloutDetail(id);
  return (
    <DetailPageFrame
      what={`rollout ${id}`}
      listPath={listPath}
      listLabel="All rollouts"
      detail={detail}
      error={error}
      isReconnecting={isReconnecting}
    >
      {loaded => (
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <RolloutSummary rollout={loaded} onChanged={refresh} />
          </Grid>
          <Grid item xs={12}>
            <InfoCard title="Candidate and stable, side by side">
              <GateNumbersTable rollout={loaded} />
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <InfoCard title={`Decisions (${loaded.decisions.length})`}>
              <DecisionTimeline decisions={loaded.decisions} />
            </InfoCard>
          </Grid>
        </Grid>
      )}
    </DetailPageFrame>
  );
};
