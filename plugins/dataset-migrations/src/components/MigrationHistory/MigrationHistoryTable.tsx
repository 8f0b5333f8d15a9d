import { Link, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  Migration,
  MigrationListQuery,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { datasetMigrationsApiRef } from '../../api';
import { migrationPath } from '../../paths';
import { StatusLabel } from '../StatusChip';

export function formatDuration(migration: Migration): string {
  const end = migration.steps.reduce<string | null>(
    (latest, s) =>
      s.finishedAt && (!latest || s.finishedAt > latest)
        ? s.finishedAt
        : latest,
    null,
  );
  if (!end) return '—';
  const seconds = Math.max(
    0,
    Math.round((Date.parse(end) - Date.parse(migration.createdAt)) / 1000),
  );
  return seconds < 90 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

const columns = (showDataset: boolean): TableColumn<Migration>[] => [
  {
    title: 'Status',
    field: 'status',
    render: m => <StatusLabel status={m.status} />,
  },
  ...(showDataset
    ? [{ title: 'Dataset', field: 'entityRef' } as TableColumn<Migration>]
    : []),
  { title: 'Who', field: 'createdBy' },
  {
    title: 'When',
    field: 'createdAt',
    render: m => new Date(m.createdAt).toLocaleString('en-US'),
  },
  { title: 'Duration', render: m => formatDuration(m) },
  { title: 'Agent', render: m => `${m.agent.id}@${m.agent.version}` },
  { title: 'Details', render: m => <Link to={migrationPath(m.id)}>Open</Link> },
];

/**
 * Migrations newest first, paged on the server with the API's cursors (no offsets),
 * so it stays quick however long the history grows.
 */
export const MigrationHistoryTable = ({
  query,
  title,
  showDataset = true,
  refreshKey,
}: {
  query: MigrationListQuery;
  title: string;
  showDataset?: boolean;
  refreshKey?: unknown;
}) => {
  const api = useApi(datasetMigrationsApiRef);
  const [cursors, setCursors] = useState<Array<string | undefined>>([
    undefined,
  ]);
  const queryKey = JSON.stringify(query);
  useEffect(() => setCursors([undefined]), [queryKey]);
  const cursor = cursors[cursors.length - 1];
  const { value, loading, error } = useAsync(
    () => api.listMigrations({ ...query, limit: query.limit ?? 20, cursor }),
    [api, queryKey, cursor, refreshKey],
  );

  return (
    <>
      <Table
        title={title}
        isLoading={loading}
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns(showDataset)}
        data={value?.items ?? []}
        emptyContent={
          <Box p={2}>
            {error
              ? `Could not load the history: ${error.message}`
              : 'No migrations yet. Open a dataset in the catalog and click Migrate.'}
          </Box>
        }
      />
      <Box display="flex" justifyContent="flex-end" style={{ gap: 8 }} mt={1}>
        <Button
          size="small"
          disabled={cursors.length === 1}
          onClick={() => setCursors(c => c.slice(0, -1))}
        >
          Previous page
        </Button>
        <Button
          size="small"
          disabled={!value?.nextCursor}
          onClick={() => setCursors(c => [...c, value!.nextCursor!])}
        >
          Next page
        </Button>
      </Box>
    </>
  );
};
