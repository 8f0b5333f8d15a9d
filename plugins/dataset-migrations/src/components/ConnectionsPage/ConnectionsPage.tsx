import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Page,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { ConnectionSummary } from '@internal/backstage-plugin-dataset-migrations-common';
import useAsync from 'react-use/esm/useAsync';
import { datasetMigrationsApiRef } from '../../api';

const columns: TableColumn<ConnectionSummary>[] = [
  { title: 'Connection', field: 'name' },
  { title: 'Engine', field: 'client' },
];

/** Lists the connections admins configured, the databases datasets can move between. */
export const ConnectionsPage = () => {
  const api = useApi(datasetMigrationsApiRef);
  const { value, loading, error } = useAsync(
    () => api.listConnections(),
    [api],
  );

  let body;
  if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (!loading && value?.items.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No connections configured"
        description="Add databases under datasetMigrations.connections in app-config.yaml, then restart the backend."
      />
    );
  } else {
    body = (
      <Table
        title="Connections"
        options={{ paging: false, search: false }}
        isLoading={loading}
        columns={columns}
        data={value?.items ?? []}
      />
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title="Dataset migrations"
        subtitle="Move datasets to their new home while their readers keep working"
      />
      <Content>
        <ContentHeader title="Where datasets live" />
        {body}
      </Content>
    </Page>
  );
};
