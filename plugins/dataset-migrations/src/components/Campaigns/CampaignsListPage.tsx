import { Table, TableColumn } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Campaign,
  datasetMigrationsAdminPermission,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { campaignsApiRef } from '../../api';
import { campaignRouteRef } from '../../routes';
import { errorMessage } from '../errorMessage';
import { CampaignLink } from './CampaignLink';
import { campaignProgress } from './campaignProgress';
import { CampaignStatusLabel } from './CampaignStatus';
import { CreateCampaignDialog } from './CreateCampaign/CreateCampaignDialog';
import { RefLink } from '../RefLink';
import { RelativeTime } from '../RelativeTime';

const ProgressCell = ({ campaign }: { campaign: Campaign }) => {
  const { done, total } = campaignProgress(campaign);
  return (
    <Box minWidth={120}>
      <Typography variant="body2">
        {done.toLocaleString('en-US')} / {total.toLocaleString('en-US')}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={total ? (done / total) * 100 : 0}
        aria-label={`${campaign.name}: ${done} of ${total} datasets finished`}
      />
    </Box>
  );
};

const columns: TableColumn<Campaign>[] = [
  {
    title: 'Name',
    field: 'name',
    render: c => <CampaignLink id={c.id}>{c.name}</CampaignLink>,
  },
  {
    title: 'Status',
    field: 'status',
    render: c => <CampaignStatusLabel status={c.status} />,
  },
  { title: 'Mode', field: 'mode' },
  { title: 'Progress', render: c => <ProgressCell campaign={c} /> },
  {
    title: 'Created by',
    field: 'createdBy',
    render: c => <RefLink entityRef={c.createdBy} />,
  },
  {
    title: 'Created',
    field: 'createdAt',
    render: c => <RelativeTime at={c.createdAt} />,
  },
];

/** Every campaign, newest first, and "New campaign" for fleet administrators. */
export const CampaignsListPage = () => {
  const api = useApi(campaignsApiRef);
  const campaignPath = useRouteRef(campaignRouteRef);
  const navigate = useNavigate();
  const { allowed: isAdmin } = usePermission({
    permission: datasetMigrationsAdminPermission,
  });
  const [isCreating, setCreating] = useState(false);
  const { value, loading, error } = useAsync(() => api.listCampaigns(), [api]);

  return (
    <>
      {isAdmin && (
        <Box display="flex" justifyContent="flex-end" mb={2}>
          <Button
            variant="contained"
            color="primary"
            onClick={() => setCreating(true)}
          >
            New campaign
          </Button>
        </Box>
      )}
      <Table<Campaign>
        title="Campaigns"
        isLoading={loading}
        options={{
          paging: true,
          pageSize: 20,
          search: true,
          padding: 'dense',
          // A drag handle would wrap each header in a second button (axe: nested-interactive).
          draggable: false,
        }}
        columns={columns}
        data={value?.items.map(c => ({ ...c })) ?? []}
        emptyContent={
          <Box p={2}>
            <Typography variant="body2" color={error ? 'error' : 'initial'}>
              {error
                ? `Could not load the campaigns: ${errorMessage(
                    error,
                  )}. Check that the dataset-migrations backend is running, then reload.`
                : 'No campaign yet. A fleet administrator creates one with "New campaign": a selector over datasets, previewed before anything runs.'}
            </Typography>
          </Box>
        }
      />
      {isAdmin && (
        <CreateCampaignDialog
          open={isCreating}
          onClose={() => setCreating(false)}
          onCreated={created => navigate(campaignPath({ id: created.id }))}
        />
      )}
    </>
  );
};
