import { InfoCard } from '@backstage/core-components';
import type { FleetOverview } from '@internal/backstage-plugin-dataset-migrations-common';
import Typography from '@material-ui/core/Typography';

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The fleet in a few numbers: the queue, the instances, the busy workers. */
export const FleetSummaryCard = ({ fleet }: { fleet: FleetOverview }) => {
  const lost = fleet.instances.filter(i => i.status === 'lost').length;
  const workers = fleet.instances.flatMap(i => i.workers);
  const busy = workers.filter(w => w.state === 'running').length;
  return (
    <InfoCard title="Fleet">
      <Typography variant="h4" component="p" aria-label="queue length">
        {count(fleet.queueLength, 'migration')} queued
      </Typography>
      <Typography variant="body2">
        {count(fleet.instances.length - lost, 'instance')} alive
        {lost > 0 ? `, ${lost} lost` : ''}; {busy} of{' '}
        {count(workers.length, 'worker')} busy.
      </Typography>
      <Typography variant="caption">
        An instance or worker silent for {fleet.lostAfterMs / 1000} s is lost:
        its leases are freed and its migrations resume elsewhere from their
        checkpoints.
      </Typography>
    </InfoCard>
  );
};
