import {
  Progress,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { FleetWorker } from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { datasetMigrationsApiRef } from '../../api';
import { MigrationLink } from '../MigrationLink';

const time = (iso: string) => new Date(iso).toLocaleTimeString('en-US');

/** The workers of every backend instance, as the fleet's heartbeats report them. */
export const WorkersTable = () => {
  const api = useApi(datasetMigrationsApiRef);
  const { value, loading, error } = useAsync(() => api.listWorkers(), [api]);
  if (error) {
    return (
      <ResponseErrorPanel error={error} title="Could not load the workers" />
    );
  }
  // The table keeps its first title: render it once the workers are known.
  if (loading || !value) return <Progress />;
  const instances = new Set(value.items.map(w => w.instanceId)).size;
  return (
    <Table<FleetWorker>
      title={`Workers (${value.items.length} on ${instances} instance${
        instances === 1 ? '' : 's'
      })`}
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={[
        { title: 'Worker', field: 'id' },
        { title: 'Instance', field: 'instanceId' },
        { title: 'Up since', render: w => time(w.startedAt) },
        { title: 'Heartbeat', render: w => time(w.heartbeatAt) },
        {
          title: 'Current step',
          render: w =>
            w.currentStep ? (
              <MigrationLink id={w.currentStep.migrationId}>
                {w.currentStep.step} of {w.currentStep.migrationId.slice(0, 8)}
              </MigrationLink>
            ) : (
              'idle'
            ),
        },
        { title: 'Agents', render: w => w.agentVersions.join(', ') },
      ]}
      data={value.items.map(w => ({ ...w }))}
      emptyContent={
        <Box p={2}>
          <Typography variant="body2">
            No worker reported a heartbeat recently: check that some backend
            instance runs with datasetMigrations.executor.workerSlots above 0.
          </Typography>
        </Box>
      }
    />
  );
};
