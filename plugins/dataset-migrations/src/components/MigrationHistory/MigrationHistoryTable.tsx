import type { TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  Migration,
  MigrationListQuery,
  MigrationOrderBy,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { useMemo } from 'react';
import { datasetMigrationsApiRef } from '../../api';
import { CursorPagedTable } from '../CursorPagedTable';
import { MigrationLink } from '../MigrationLink';
import { MigrationNewHome } from '../NewHome/MigrationNewHome';
import { StatusLabel } from '../StatusLabel';
import { formatDuration } from './formatDuration';
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
    render: m => <MigrationNewHome migration={m} />,
  },
  { title: 'Duration', render: m => formatDuration(m) },
  { title: 'Agent', render: agentLabel },
  {
    title: 'Details',
    render: m => <MigrationLink id={m.id}>Open</MigrationLink>,
  },
];

/** The columns GET /migrations orders by, by field: the other columns do not sort. */
const SERVER_ORDER: Partial<Record<string, MigrationOrderBy>> = {
  status: 'status',
  entityRef: 'entityRef',
  createdBy: 'createdBy',
  createdAt: 'createdAt',
};

/**
 * Migrations newest first, paged on the server with the API's cursors (never
 * offsets): the history is unbounded, so it is never loaded whole. Sorting a column
 * or searching asks the server, over the whole history.
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
    <CursorPagedTable<Migration, MigrationOrderBy>
      title={title}
      columns={tableColumns}
      serverOrder={SERVER_ORDER}
      serverSearch
      defaultOrder="newest first"
      fetchPage={(cursor, limit, view) =>
        api.listMigrations({
          ...query,
          ...view,
          limit: query.limit ?? limit,
          cursor,
        })
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
