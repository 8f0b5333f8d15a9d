import { Progress, WarningPanel } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import { datasetMigrationsAdminPermission } from '@internal/backstage-plugin-dataset-migrations-common';
import Grid from '@material-ui/core/Grid';
import { ConnectionsCard } from './ConnectionsCard';
import { WorkersTable } from './WorkersTable';

/** The fleet for administrators: every worker of every instance, and the connections. */
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
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <WorkersTable />
      </Grid>
      <Grid item xs={12} md={6}>
        <ConnectionsCard />
      </Grid>
    </Grid>
  );
};
