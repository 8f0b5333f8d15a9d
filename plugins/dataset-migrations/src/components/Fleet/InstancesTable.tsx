import { Table } from '@backstage/core-components';
import type { FleetInstance } from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { formatAge } from './formatFleet';
import { WorkerState } from './WorkerState';

const time = (iso: string) => new Date(iso).toLocaleTimeString('en-US');

/** What became of a lost instance's work: its leases freed, or being freed. */
function lostNote(instance: FleetInstance): string {
  const since = instance.lostAt ? ` since ${time(instance.lostAt)}` : '';
  return instance.leasesHeld === 0
    ? `lost${since}; its leases were reclaimed`
    : `lost${since}; ${instance.leasesHeld} lease(s) not reclaimed yet`;
}

/** Every backend instance: alive or lost, its heartbeat, its slots and agents. */
export const InstancesTable = ({
  instances,
}: {
  instances: FleetInstance[];
}) => (
  <Table<FleetInstance>
    title="Instances"
    options={{
      paging: false,
      search: false,
      padding: 'dense',
      // A drag handle would wrap each header in a second button (axe: nested-interactive).
      draggable: false,
    }}
    columns={[
      { title: 'Instance', field: 'id' },
      {
        title: 'Status',
        render: i => (
          <>
            <WorkerState state={i.status} />
            {i.status === 'lost' && (
              <Typography variant="caption" display="block">
                {lostNote(i)}
              </Typography>
            )}
          </>
        ),
      },
      { title: 'Heartbeat', render: i => formatAge(i.heartbeatAgeMs) },
      { title: 'Up since', render: i => time(i.startedAt) },
      { title: 'Worker slots', field: 'workerSlots' },
      { title: 'Leases held', field: 'leasesHeld' },
      { title: 'Agent versions', render: i => i.agentVersions.join(', ') },
    ]}
    data={instances.map(i => ({ ...i }))}
    emptyContent={
      <Box p={2}>
        <Typography variant="body2">
          No backend instance reported a heartbeat: the dataset-migrations
          backend plugin is not running anywhere.
        </Typography>
      </Box>
    }
  />
);
