import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { datasetMigrationsApiRef } from '../../api';
import { BackendErrorPanel } from '../BackendErrorPanel';
import { useIsReconnecting } from '../BackendStatus';
import { useRetryWhileUnreachable } from '../useRetryWhileUnreachable';

/** The connections admins configured: names and clients only, never settings. */
export const ConnectionsCard = () => {
  const api = useApi(datasetMigrationsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listConnections(),
    [api],
  );
  const isRetrying = useRetryWhileUnreachable(error, retry);
  // The page says it is reconnecting already: once is enough.
  const isPageReconnecting = useIsReconnecting();
  return (
    <InfoCard title="Connections">
      {loading && <Progress />}
      {error && !(isRetrying && isPageReconnecting) && (
        <BackendErrorPanel
          error={error}
          title="Could not load the connections"
          isRetrying={isRetrying}
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
