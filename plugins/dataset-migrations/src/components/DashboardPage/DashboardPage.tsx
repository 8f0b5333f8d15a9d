import {
  Content,
  ContentHeader,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { MigrationListQuery } from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { datasetMigrationsApiRef } from '../../api';
import { MigrationHistoryTable } from '../MigrationHistory/MigrationHistoryTable';
import { FleetCard } from './FleetCard';
import { HistoryFilters } from './HistoryFilters';
import { StatsCards } from './StatsCards';

/** The migration history across all datasets: filters, stats, charts, paged table, fleet. */
export const DashboardPage = () => {
  const api = useApi(datasetMigrationsApiRef);
  const [query, setQuery] = useState<MigrationListQuery>({});
  const connections = useAsync(() => api.listConnections(), [api]);
  const stats = useAsync(
    () => api.getMigrationStats(query),
    [api, JSON.stringify(query)],
  );

  return (
    <Page themeId="tool">
      <Header
        title="Dataset migrations"
        subtitle="Every migration across all datasets"
      />
      <Content>
        <ContentHeader title="History" />
        <HistoryFilters
          value={query}
          connections={connections.value?.items ?? []}
          onChange={setQuery}
        />
        {stats.error && <ResponseErrorPanel error={stats.error} />}
        {stats.loading && !stats.value && <Progress />}
        {stats.value && <StatsCards stats={stats.value} />}
        <Box mt={3}>
          <MigrationHistoryTable title="Migrations" query={query} />
        </Box>
        <Box mt={3}>
          <FleetCard />
        </Box>
      </Content>
    </Page>
  );
};
