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
import { rolloutsRouteRef } from '../../routes';
import { errorMessage } from '../errorMessage';
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
  const { detail, error, refresh } = useRolloutDetail(id);
  const back = (
    <Box mb={2}>
      <Link to={listPath}>← All rollouts</Link>
    </Box>
  );
  if (!detail) {
    return (
      <>
        {back}
        {error ? (
          <ResponseErrorPanel
            error={error}
            title={`Could not load rollout ${id}: ${errorMessage(error)}`}
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
          <RolloutSummary rollout={detail} onChanged={refresh} />
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="Candidate and stable, side by side">
            <GateNumbersTable rollout={detail} />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard title={`Decisions (${detail.decisions.length})`}>
            <DecisionTimeline decisions={detail.decisions} />
          </InfoCard>
        </Grid>
      </Grid>
    </>
  );
};
