import { InfoCard, Table } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { datasetMigrationsAdminPermission } from '@internal/backstage-plugin-dataset-migrations-common';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { datasetMigrationsApiRef } from '../../api';

/** The workers of every backend instance, for fleet administrators. */
export const FleetCard = () => {
  const api = useApi(datasetMigrationsApiRef);
  const { allowed, loading: checking } = usePermission({
    permission: datasetMigrationsAdminPermission,
  });
  const { value, loading, error } = useAsync(
    async () => (allowed ? api.listWorkers() : undefined),
    [api, allowed],
  );
  if (checking) return null;
  if (!allowed) {
    return (
      <InfoCard title="Fleet">
        <Typography>
          Only fleet administrators can see the workers (permission{' '}
          {datasetMigrationsAdminPermission.name}).
        </Typography>
      </InfoCard>
    );
  }
  return (
    <Table
      title="Fleet: workers of every backend instance"
      isLoading={loading}
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={[
        { title: 'Worker', field: 'id' },
        { title: 'Instance', field: 'instanceId' },
        {
          title: 'Heartbeat',
          render: w => new Date(w.heartbeatAt).toLocaleTimeString('en-US'),
        },
        {
          title: 'Current step',
          render: w =>
            w.currentStep
              ? `${w.currentStep.step} of ${w.currentStep.migrationId.slice(
                  0,
                  8,
                )}`
              : 'idle',
        },
        { title: 'Agents', render: w => w.agentVersions.join(', ') },
      ]}
      data={value?.items ?? []}
      emptyContent={
        <Typography style={{ padding: 16 }}>
          {error
            ? `Could not load the workers: ${error.message}`
            : 'No worker reported a heartbeat: check that some backend instance runs with datasetMigrations.executor.workerSlots above 0.'}
        </Typography>
      }
    />
  );
};
