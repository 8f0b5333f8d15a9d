import type { TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  Migration,
  MigrationListQuery,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { useMemo } from 'react';
import { datasetMigrationsApiRef } from '../../api';
import { CursorPagedTable } from '../CursorPagedTable';
import { MigrationLink } from '../MigrationLink';
import { MigrationNewHome } from '../NewHome/MigrationNewHome';
import { StatusLabel } from '../StatusLabel';
import { durationMs, formatDuration } from './formatDuration';
import { RefLink } from '../RefLink';
import { RelativeTime } from '../RelativeTime';

export const PAGE_SIZE = 20;

const agentLabel = (m: Migration) => `${m.agent.id}@${m.agent.version}`;

const columns = (showDataset: boolean): TableColumn<Migration>[] => [
  {
    title: 'Status',
    field: 'status',
    render: m => <StatusLabel status={m.status} />,
  },
  ...(showDataset
    ? [
        {
          title: 'Dataset',
          field: 'entityRef',
          render: m => <RefLink entityRef={m.entityRef} />,
        } as TableColumn<Migration>,
      ]
    : []),
  {
    title: 'Who',
    field: 'createdBy',
    render: m => <RefLink entityRef={m.createdBy} />,
  },
  {
    title: 'When',
    field: 'createdAt',
    render: m => <RelativeTime at={m.createdAt} />,
  },
  {
    title: 'Table',
    sorting: false,
    render: m => <MigrationNewHome migration={m} />,
  },
  {
    title: 'Duration',
    render: m => formatDuration(m),
    customSort: (a, b) => durationMs(a) - durationMs(b),
    customFilterAndSearch: (text, m) =>
      formatDuration(m).toLocaleLowerCase().includes(text),
  },
  {
    title: 'Agent',
    render: agentLabel,
    customSort: (a, b) => agentLabel(a).localeCompare(agentLabel(b)),
    customFilterAndSearch: (text, m) =>
      agentLabel(m).toLocaleLowerCase().includes(text),
  },
  {
    title: 'Details',
    sorting: false,
    render: m => <MigrationLink id={m.id}>Open</MigrationLink>,
  },
];

/**
 * Migrations newest first, paged on the server with the API's cursors (never
 * offsets): the history is unbounded, so it is never loaded whole.
 */
export const MigrationHistoryTable = ({
  query,
  title,
  showDataset = true,
  refreshKey,
  emptyMessage = 'No migrations yet. Open a dataset in the catalog and click Migrate on its Migrations tab.',
}: {
  query: MigrationListQuery;
  title: string;
  showDataset?: boolean;
  refreshKey?: unknown;
  emptyMessage?: string;
}) => {
  const api = useApi(datasetMigrationsApiRef);
  const queryKey = JSON.stringify(query);
  const tableColumns = useMemo(() => columns(showDataset), [showDataset]);
  return (
    <CursorPagedTable<Migration>
      title={title}
      columns={tableColumns}
      fetchPage={(cursor, limit) =>
        api.listMigrations({ ...query, limit: query.limit ?? limit, cursor })
      }
      pageSize={query.limit ?? PAGE_SIZE}
      queryKey={queryKey}
      refreshKey={refreshKey}
      emptyMessage={emptyMessage}
      errorText={message =>
        `Could not load the history: ${message}. Check that the dataset-migrations backend is running, then reload.`
      }
    />
  );
};
