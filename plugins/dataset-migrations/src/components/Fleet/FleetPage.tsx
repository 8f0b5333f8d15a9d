import { Progress, WarningPanel } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import { datasetMigrationsAdminPermission } from '@internal/backstage-plugin-dataset-migrations-common';
import Grid from '@material-ui/core/Grid';
import { BackendErrorPanel } from '../BackendErrorPanel';
import { BackendStatusProvider } from '../BackendStatus';
import { isBackendUnreachable } from '../errorMessage';
import { ConnectionLoadCard } from './ConnectionLoadCard';
import { ConnectionsCard } from './ConnectionsCard';
import { FleetSummaryCard } from './FleetSummaryCard';
import { InstancesTable } from './InstancesTable';
import { useFleet } from './useFleet';
import { WorkersTable } from './WorkersTable';

/** The fleet's health, refreshed every few seconds; mounted for admins only. */
const FleetHealth = () => {
  const { fleet, error } = useFleet();
  if (!fleet && !error) return <Progress />;
  // useFleet asks again every few seconds, whatever the failure.
  return (
    <BackendStatusProvider isReconnecting={isBackendUnreachable(error)}>
      <Grid container spacing={3}>
        {error && (
          <Grid item xs={12}>
            <BackendErrorPanel
              error={error}
              title="Could not load the fleet"
              isRetrying
            />
          </Grid>
        )}
        {fleet && (
          <>
            <Grid item xs={12} md={6}>
              <FleetSummaryCard fleet={fleet} />
            </Grid>
            <Grid item xs={12} md={6}>
              <ConnectionLoadCard fleet={fleet} />
            </Grid>
            <Grid item xs={12}>
              <InstancesTable instances={fleet.instances} />
            </Grid>
            <Grid item xs={12}>
              <WorkersTable instances={fleet.instances} />
            </Grid>
          </>
        )}
        <Grid item xs={12} md={6}>
          <ConnectionsCard />
        </Grid>
      </Grid>
    </BackendStatusProvider>
  );
};

/** The fleet for administrators: instances, workers, load, queue and connections. */
export const FleetPage = () => {
  const { allowed, loading } = usePermission({
    permission: datasetMigrationsAdminPermission,
  });
  if (loading) return <Progress />;
  if (!allowed) {
    return (
      <WarningPanel
        severity="info"
        title="Only fleet administrators can see the fleet"
        message={`Seeing the workers needs the ${datasetMigrationsAdminPermission.name} permission. Ask your Backstage administrators to grant it in the permission policy; the migration history stays open to everyone.`}
      />
    );
  }
  return <FleetHealth />;
};
