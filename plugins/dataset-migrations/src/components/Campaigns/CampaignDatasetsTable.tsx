import type { TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  CAMPAIGN_DATASET_STATES,
  type CampaignDataset,
  type CampaignDatasetOrderBy,
  type CampaignDatasetState,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { campaignsApiRef } from '../../api';
import { CursorPagedTable } from '../CursorPagedTable';
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
    sorting: false,
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

/** The columns GET /campaigns/:id/datasets orders by, by field: the others do not sort. */
const SERVER_ORDER: Partial<Record<string, CampaignDatasetOrderBy>> = {
  entityRef: 'entityRef',
  ownerRef: 'owner',
  state: 'state',
};

function emptyText(state: CampaignDatasetState | ''): string {
  if (state)
    return `No dataset of this campaign is ${state.replaceAll('_', ' ')}.`;
  return 'No dataset matched yet.';
}

/**
 * The campaign's datasets, one server page at a time (cursors, never offsets),
 * filtered by state, sorted and searched on the server: a campaign of 10,000 datasets
 * is never loaded whole.
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
  return (
    <>
      <Box mb={1} maxWidth={260}>
        <TextField
          select
          id="campaign-dataset-state"
          label="State"
          value={state}
          fullWidth
          onChange={e => setState(e.target.value as CampaignDatasetState | '')}
        >
          <MenuItem value="">Every state</MenuItem>
          {CAMPAIGN_DATASET_STATES.map(s => (
            <MenuItem key={s} value={s}>
              {s.replaceAll('_', ' ')}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      <CursorPagedTable<CampaignDataset, CampaignDatasetOrderBy>
        title="Datasets"
        columns={columns}
        serverOrder={SERVER_ORDER}
        serverSearch
        defaultOrder="by dataset"
        fetchPage={(cursor, limit, view) =>
          api.listCampaignDatasets(campaignId, {
            state: state || undefined,
            ...view,
            limit,
            cursor,
          })
        }
        pageSize={DATASETS_PAGE_SIZE}
        queryKey={`${campaignId}:${state}`}
        refreshKey={refreshKey}
        emptyMessage={emptyText(state)}
        errorText={message => `Could not load the datasets: ${message}`}
      />
    </>
  );
};
