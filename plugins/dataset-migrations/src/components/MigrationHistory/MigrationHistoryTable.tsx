import { Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  Migration,
  MigrationListQuery,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { datasetMigrationsApiRef } from '../../api';
import { MigrationLink } from '../MigrationLink';
import { StatusLabel } from '../StatusLabel';
import { formatDuration } from './formatDuration';
import { RefLink } from '../RefLink';
import { RelativeTime } from '../RelativeTime';

export const PAGE_SIZE = 20;

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
  { title: 'Duration', render: m => formatDuration(m) },
  { title: 'Agent', render: m => `${m.agent.id}@${m.agent.version}` },
  {
    title: 'Details',
    render: m => <MigrationLink id={m.id}>Open</MigrationLink>,
  },
];

/**
 * Migrations newest first, paged on the server with the API's cursors (never
 * offsets), so it stays quick however long the history grows.
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
  // The cursors of the pages walked so far: the last one is the page shown.
  const [cursors, setCursors] = useState<Array<string | undefined>>([
    undefined,
  ]);
  const queryKey = JSON.stringify(query);
  useEffect(() => setCursors([undefined]), [queryKey]);
  const cursor = cursors[cursors.length - 1];
  const { value, loading, error } = useAsync(
    () =>
      api.listMigrations({ ...query, limit: query.limit ?? PAGE_SIZE, cursor }),
    [api, queryKey, cursor, refreshKey],
  );
  const nextCursor = value?.nextCursor;

  return (
    <>
      <Table<Migration>
        title={title}
        isLoading={loading}
        // Sorting or searching one page of a server-paged list would mislead.
        options={{
          paging: false,
          search: false,
          sorting: false,
          padding: 'dense',
          // A drag handle would wrap each header in a second button (axe: nested-interactive).
          draggable: false,
          // Words broke inside narrow cells on a phone (the history's status read
          // "aw|aiti|ng"): cells keep their words, the table scrolls sideways instead.
          headerStyle: { whiteSpace: 'nowrap' },
          rowStyle: { whiteSpace: 'nowrap' },
        }}
        columns={columns(showDataset)}
        data={value?.items.map(m => ({ ...m })) ?? []}
        emptyContent={
          <Box p={2}>
            <Typography variant="body2" color={error ? 'error' : 'initial'}>
              {error
                ? `Could not load the history: ${error.message}. Check that the dataset-migrations backend is running, then reload.`
                : emptyMessage}
            </Typography>
          </Box>
        }
      />
      <Box
        display="flex"
        justifyContent="flex-end"
        alignItems="center"
        style={{ gap: 8 }}
        mt={1}
      >
        {/* Secondary grey is 4.47:1 on the page's background (axe: color-contrast). */}
        <Typography variant="body2">Page {cursors.length}</Typography>
        <Button
          size="small"
          disabled={cursors.length === 1}
          onClick={() => setCursors(c => c.slice(0, -1))}
        >
          Previous page
        </Button>
        <Button
          size="small"
          disabled={!nextCursor || loading}
          onClick={() => nextCursor && setCursors(c => [...c, nextCursor])}
        >
          Next page
        </Button>
      </Box>
    </>
  );
};
