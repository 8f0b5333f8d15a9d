import { InfoCard } from '@backstage/core-components';
import type { FleetOverview } from '@internal/backstage-plugin-dataset-migrations-common';
import Typography from '@material-ui/core/Typography';
import { CapLoad, scopeName } from '../CapLoad';

const isConnectionScope = (scope: string) =>
  scope.startsWith('source-connection:') ||
  scope.startsWith('target-connection:');

/** The migrations running against each connection, against its concurrency cap. */
export const ConnectionLoadCard = ({ fleet }: { fleet: FleetOverview }) => {
  const loads = fleet.caps.filter(c => isConnectionScope(c.scope));
  return (
    <InfoCard title="Load per connection">
      {loads.length === 0 ? (
        <Typography variant="body2">
          No migration runs against any connection now.
        </Typography>
      ) : (
        <div aria-label="connection loads" role="list">
          {loads.map(load => (
            <div role="listitem" key={load.scope}>
              <CapLoad
                label={`${scopeName(load.scope)} running`}
                used={load.running}
                cap={load.cap}
              />
            </div>
          ))}
        </div>
      )}
    </InfoCard>
  );
};
