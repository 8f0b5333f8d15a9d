import { Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  CAMPAIGN_DATASET_STATES,
  type CampaignDataset,
  type CampaignDatasetState,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { campaignsApiRef } from '../../api';
import { errorMessage } from '../errorMessage';
import { MigrationLink } from '../MigrationLink';
import { CampaignDatasetStateLabel } from './CampaignStatus';
import { RelativeTime } from '../RelativeTime';

export const DATASETS_PAGE_SIZE = 25;

const columns: TableColumn<CampaignDataset>[] = [
  {
    title: 'Dataset',
    field: 'entityRef',
    render: d => <EntityRefLink entityRef={d.entityRef} hideIcon />,
  },
  {
    title: 'Owner',
    field: 'ownerRef',
    render: d =>
      d.ownerRef ? <EntityRefLink entityRef={d.ownerRef} hideIcon /> : '—',
  },
  {
    title: 'State',
    field: 'state',
    render: d => <CampaignDatasetStateLabel state={d.state} />,
  },
  { title: 'Reason', field: 'reason', render: d => d.reason ?? '' },
  {
    title: 'Migration',
    render: d =>
      d.migrationId ? (
        <MigrationLink id={d.migrationId}>Open</MigrationLink>
      ) : (
        ''
      ),
  },
  {
    title: 'Updated',
    field: 'updatedAt',
    render: d => <RelativeTime at={d.updatedAt} />,
  },
];

function emptyText(state: CampaignDatasetState | '', error?: Error): string {
  if (error) return `Could not load the datasets: ${errorMessage(error)}`;
  if (state)
    return `No dataset of this campaign is ${state.replaceAll('_', ' ')}.`;
  return 'No dataset matched yet.';
}

/**
 * The campaign's datasets, one server page at a time (cursors, never offsets) and
 * filtered by state on the server: a campaign of 10,000 datasets is never loaded whole.
 */
export const CampaignDatasetsTable = ({
  campaignId,
  refreshKey,
}: {
  campaignId: string;
  /** Changes when the campaign's counts change: the page shown is asked again. */
  refreshKey: unknown;
}) => {
  const api = useApi(campaignsApiRef);
  const [state, setState] = useState<CampaignDatasetState | ''>('');
  // The cursors of the pages walked so far: the last one is the page shown.
  const [cursors, setCursors] = useState<Array<string | undefined>>([
    undefined,
  ]);
  const cursor = cursors[cursors.length - 1];
  const { value, loading, error } = useAsync(
    () =>
      api.listCampaignDatasets(campaignId, {
        state: state || undefined,
        limit: DATASETS_PAGE_SIZE,
        cursor,
      }),
    [api, campaignId, state, cursor, refreshKey],
  );
  const nextCursor = value?.nextCursor;

  return (
    <>
      <Box mb={1} maxWidth={260}>
        <TextField
          select
          id="campaign-dataset-state"
          label="State"
          value={state}
          fullWidth
          onChange={e => {
            setState(e.target.value as CampaignDatasetState | '');
            setCursors([undefined]);
          }}
        >
          <MenuItem value="">Every state</MenuItem>
          {CAMPAIGN_DATASET_STATES.map(s => (
            <MenuItem key={s} value={s}>
              {s.replaceAll('_', ' ')}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      <Table<CampaignDataset>
        title="Datasets"
        isLoading={loading && !value}
        // Sorting or searching one page of a server-paged list would mislead.
        options={{
          paging: false,
          search: false,
          sorting: false,
          padding: 'dense',
          // A drag handle would wrap each header in a second button (axe: nested-interactive).
          draggable: false,
        }}
        columns={columns}
        data={value?.items.map(d => ({ ...d })) ?? []}
        emptyContent={
          <Box p={2}>
            <Typography variant="body2" color={error ? 'error' : 'initial'}>
              {emptyText(state, error)}
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
        <Typography variant="body2" color="textSecondary">
          Page {cursors.length}
        </Typography>
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
