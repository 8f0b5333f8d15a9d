import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { datasetMigrationsApiRef } from '../../api';

/** The connections admins configured: names and clients only, never settings. */
export const ConnectionsCard = () => {
  const api = useApi(datasetMigrationsApiRef);
  const { value, loading, error } = useAsync(
    () => api.listConnections(),
    [api],
  );
  return (
    <InfoCard title="Connections">
      {loading && <Progress />}
      {error && (
        <ResponseErrorPanel
          error={error}
          title="Could not load the connections"
        />
      )}
      {value && value.items.length === 0 && (
        <Typography>
          No connection is configured: add one under
          datasetMigrations.connections in app-config.yaml.
        </Typography>
      )}
      {value && value.items.length > 0 && (
        <ul aria-label="connections">
          {value.items.map(c => (
            <li key={c.name}>
              <strong>{c.name}</strong> ({c.client})
            </li>
          ))}
        </ul>
      )}
    </InfoCard>
  );
};
