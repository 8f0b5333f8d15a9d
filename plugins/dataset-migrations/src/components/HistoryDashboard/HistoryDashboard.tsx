import { EmptyState, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { datasetMigrationsApiRef } from '../../api';
import { BackendErrorPanel } from '../BackendErrorPanel';
import { BrowseDatasetsButton } from '../BrowseDatasetsButton';
import { useRetryWhileUnreachable } from '../useRetryWhileUnreachable';
import { MigrationHistoryTable } from '../MigrationHistory/MigrationHistoryTable';
import { filterFromParams, paramsFromFilter } from './filterParams';
import { HistoryFilter, HistoryFilters } from './HistoryFilters';
import { StatsCards } from './StatsCards';

/** The migration history across all datasets: filters, stats, charts and the paged table. */
export const HistoryDashboard = () => {
  const api = useApi(datasetMigrationsApiRef);
  // The filters live in the URL: a filtered view can be shared, and survives a reload.
  const [params, setParams] = useSearchParams();
  const filter = useMemo(() => filterFromParams(params), [params]);
  const setFilter = (next: HistoryFilter) =>
    setParams(paramsFromFilter(next), { replace: true });
  const connections = useAsyncRetry(() => api.listConnections(), [api]);
  // The connection filter comes back with the backend too, not only the stats.
  useRetryWhileUnreachable(connections.error, connections.retry);
  const filterKey = JSON.stringify(filter);
  const stats = useAsyncRetry(
    () => api.getMigrationStats(filter),
    [api, filterKey],
  );
  const isReconnecting = useRetryWhileUnreachable(stats.error, stats.retry);
  const isFiltered = Object.values(filter).some(v => v !== undefined);

  if (stats.value?.total === 0 && !isFiltered) {
    return (
      <EmptyState
        missing="data"
        title="No dataset has been migrated yet"
        description="Open a dataset in the catalog (a Resource of type dataset), go to its Migrations tab and click Migrate: you review the generated plan before anything runs, then follow it live here."
        action={<BrowseDatasetsButton />}
      />
    );
  }

  return (
    <>
      <HistoryFilters
        value={filter}
        connections={connections.value?.items ?? []}
        onChange={setFilter}
      />
      {stats.error && (
        <Box mb={2}>
          <BackendErrorPanel
            error={stats.error}
            title="Could not load the migration statistics"
            isRetrying={isReconnecting}
          />
        </Box>
      )}
      {stats.loading && !stats.value && <Progress />}
      {stats.value && stats.value.total === 0 && (
        <Box mb={2} display="flex" alignItems="center" style={{ gap: 8 }}>
          <Typography>No migrations match these filters.</Typography>
          <Button size="small" onClick={() => setFilter({})}>
            Clear filters
          </Button>
        </Box>
      )}
      {stats.value && stats.value.total > 0 && (
        <StatsCards stats={stats.value} />
      )}
      <Box mt={3}>
        <MigrationHistoryTable
          title="Migrations"
          query={filter}
          emptyMessage={
            isFiltered
              ? 'No migrations match these filters: widen the date range or clear a filter.'
              : undefined
          }
        />
      </Box>
    </>
  );
};
