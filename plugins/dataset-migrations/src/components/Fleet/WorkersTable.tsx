import { Table } from '@backstage/core-components';
import type {
  FleetInstance,
  FleetWorkerHealth,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { MigrationLink } from '../MigrationLink';
import { formatAge, formatRowsPerSecond } from './formatFleet';
import { WorkerState } from './WorkerState';

const time = (iso: string) => new Date(iso).toLocaleTimeString('en-US');

const Restarts = ({ worker }: { worker: FleetWorkerHealth }) => (
  <>
    {worker.restarts}
    {worker.restarts > 0 && worker.lastRestartAt && (
      <Typography variant="caption" display="block">
        last at {time(worker.lastRestartAt)}
        {worker.lastError ? `: ${worker.lastError}` : ''}
      </Typography>
    )}
  </>
);

/** The workers of every instance: what each does now, its pace, its restarts. */
export const WorkersTable = ({ instances }: { instances: FleetInstance[] }) => (
  <Table<FleetWorkerHealth>
    title="Workers"
    options={{
      paging: false,
      search: false,
      padding: 'dense',
      // A drag handle would wrap each header in a second button (axe: nested-interactive).
      draggable: false,
    }}
    columns={[
      { title: 'Worker', field: 'id' },
      { title: 'State', render: w => <WorkerState state={w.state} /> },
      {
        title: 'Current migration',
        render: w =>
          w.currentStep ? (
            <MigrationLink id={w.currentStep.migrationId}>
              {w.currentEntityRef ?? w.currentStep.migrationId.slice(0, 8)}
            </MigrationLink>
          ) : (
            '—'
          ),
      },
      { title: 'Step', render: w => w.currentStep?.step ?? '—' },
      { title: 'Rows/s', render: w => formatRowsPerSecond(w.rowsPerSecond) },
      { title: 'Heartbeat', render: w => formatAge(w.heartbeatAgeMs) },
      { title: 'Restarts', render: w => <Restarts worker={w} /> },
      { title: 'Agent versions', render: w => w.agentVersions.join(', ') },
    ]}
    data={instances.flatMap(i => i.workers.map(w => ({ ...w })))}
    emptyContent={
      <Box p={2}>
        <Typography variant="body2">
          No worker runs: check that some backend instance runs with
          datasetMigrations.executor.workerSlots above 0.
        </Typography>
      </Box>
    }
  />
);
