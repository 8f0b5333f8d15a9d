import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import type { DatasetCampaignMembership } from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { campaignsApiRef } from '../../api';
import { CampaignLink } from '../Campaigns/CampaignLink';
import {
  CampaignDatasetStateLabel,
  CampaignStatusLabel,
} from '../Campaigns/CampaignStatus';
import { errorMessage } from '../errorMessage';
import { CampaignApproval } from './CampaignApproval';
import { RefLink } from '../RefLink';

/**
 * The campaigns this dataset belongs to, its state in each, and any approval a
 * campaign waits for. Nothing is drawn for a dataset in no campaign.
 */
export const DatasetCampaignsCard = ({
  refreshKey,
  onAnswered,
  wrap = card => card,
}: {
  refreshKey?: unknown;
  /** Places the card, e.g. in a grid item; not called when nothing is drawn. */
  wrap?: (card: JSX.Element) => JSX.Element;
  /** Called after an owner approved or declined: a migration may have been queued. */
  onAnswered?: () => void;
}) => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(campaignsApiRef);
  const [answered, setAnswered] = useState(0);
  const { value, error } = useAsync(
    () => api.listDatasetCampaigns(entityRef),
    [api, entityRef, refreshKey, answered],
  );
  if (error) {
    return wrap(
      <Typography color="error" role="alert">
        Could not load the campaigns of this dataset: {errorMessage(error)}
      </Typography>,
    );
  }
  const items = value?.items ?? [];
  if (items.length === 0) return null;
  const onAnswer = (_: DatasetCampaignMembership) => {
    setAnswered(a => a + 1);
    onAnswered?.();
  };
  return wrap(
    <InfoCard title="Campaigns">
      {items.map(m => (
        <Box
          key={m.campaignId}
          mb={2}
          aria-label={`campaign ${m.campaignName}`}
          role="group"
        >
          <Typography variant="body1">
            <CampaignLink id={m.campaignId}>{m.campaignName}</CampaignLink> (
            <CampaignStatusLabel status={m.campaignStatus} />
            ): this dataset is <CampaignDatasetStateLabel state={m.state} />
            {m.reason ? ` (${m.reason})` : ''}
            {m.approvedBy && (
              <>
                , approved by <RefLink entityRef={m.approvedBy} />
              </>
            )}
            .
          </Typography>
          {m.state === 'awaiting_approval' && (
            <Box mt={1}>
              <CampaignApproval membership={m} onAnswered={onAnswer} />
            </Box>
          )}
        </Box>
      ))}
    </InfoCard>,
  );
};
