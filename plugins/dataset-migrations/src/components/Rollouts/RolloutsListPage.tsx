import { Link, Table, TableColumn } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  datasetMigrationsAdminPermission,
  Rollout,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { rolloutsApiRef } from '../../api';
import { rolloutRouteRef } from '../../routes';
import { errorMessage } from '../errorMessage';
import { AgentsCard } from './AgentsCard';
import { describeStep } from './rolloutNumbers';
import { RolloutStatusLabel } from './RolloutStatus';
import { StartRolloutDialog } from './StartRollout/StartRolloutDialog';
import { RefLink } from '../RefLink';
import { RelativeTime } from '../RelativeTime';

const columns = (
  rolloutPath: (id: string) => string,
): TableColumn<Rollout>[] => [
  {
    title: 'Agent',
    field: 'agentId',
    render: r => <Link to={rolloutPath(r.id)}>{r.agentId}</Link>,
  },
  {
    title: 'Candidate → stable',
    render: r => `${r.candidateVersion} → ${r.stableVersion}`,
  },
  {
    title: 'Status',
    field: 'status',
    render: r => <RolloutStatusLabel status={r.status} />,
  },
  { title: 'Step', render: r => describeStep(r) },
  { title: 'Share', field: 'share', render: r => `${r.share} %` },
  {
    title: 'Started by',
    field: 'createdBy',
    render: r => <RefLink entityRef={r.createdBy} />,
  },
  {
    title: 'Started',
    field: 'createdAt',
    render: r => <RelativeTime at={r.createdAt} />,
  },
];

/** The agents with their versions, every rollout, and "Start rollout" for admins. */
export const RolloutsListPage = () => {
  const api = useApi(rolloutsApiRef);
  const rolloutRoute = useRouteRef(rolloutRouteRef);
  const navigate = useNavigate();
  const { allowed: isAdmin } = usePermission({
    permission: datasetMigrationsAdminPermission,
  });
  const [isStarting, setStarting] = useState(false);
  const agents = useAsync(() => api.listAgents(), [api]);
  const rollouts = useAsync(() => api.listRollouts(), [api]);
  const rolloutPath = (id: string) => rolloutRoute({ id });

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <AgentsCard
          agents={agents.value?.items}
          error={
            agents.error &&
            `Could not load the agents: ${errorMessage(agents.error)}`
          }
        />
      </Grid>
      <Grid item xs={12}>
        {isAdmin && (
          <Box display="flex" justifyContent="flex-end" mb={2}>
            <Button
              variant="contained"
              color="primary"
              disabled={!agents.value}
              onClick={() => setStarting(true)}
            >
              Start rollout
            </Button>
          </Box>
        )}
        <Table<Rollout>
          title="Rollouts"
          isLoading={rollouts.loading}
          options={{
            paging: true,
            pageSize: 20,
            padding: 'dense',
            // A drag handle would wrap each header in a second button (axe: nested-interactive).
            draggable: false,
          }}
          columns={columns(rolloutPath)}
          data={rollouts.value?.items.map(r => ({ ...r })) ?? []}
          emptyContent={
            <Box p={2}>
              <Typography
                variant="body2"
                color={rollouts.error ? 'error' : 'initial'}
              >
                {rollouts.error
                  ? `Could not load the rollouts: ${errorMessage(
                      rollouts.error,
                    )}. Check that the dataset-migrations backend is running, then reload.`
                  : 'No rollout yet. A fleet administrator releases a new agent version with "Start rollout": a growing share of new migrations, promoted only while its results match the stable version\'s.'}
              </Typography>
            </Box>
          }
        />
      </Grid>
      {isAdmin && agents.value && (
        <StartRolloutDialog
          open={isStarting}
          agents={agents.value.items}
          onClose={() => setStarting(false)}
          onStarted={started => navigate(rolloutPath(started.id))}
        />
      )}
    </Grid>
  );
};
