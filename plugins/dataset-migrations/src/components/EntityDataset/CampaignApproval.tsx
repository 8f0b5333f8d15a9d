import { useApi } from '@backstage/core-plugin-api';
import {
  RELATION_DEPENDENCY_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { getEntityRelations, useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  datasetMigratePermission,
  DatasetCampaignMembership,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { campaignsApiRef, datasetMigrationsApiRef } from '../../api';
import { errorMessage } from '../errorMessage';
import { PlanReviewDialog } from '../PlanReview/PlanReviewDialog';

/**
 * A campaign waits for this dataset's owners: an owner reviews the plan (the same
 * review as Migrate) and approves it by its hash, or declines and the campaign skips
 * the dataset. Anyone else reads who is being asked and sees no button.
 */
export const CampaignApproval = ({
  membership,
  onAnswered,
}: {
  membership: DatasetCampaignMembership;
  onAnswered: (answer: DatasetCampaignMembership) => void;
}) => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(datasetMigrationsApiRef);
  const campaigns = useApi(campaignsApiRef);
  const { allowed, loading } = usePermission({
    permission: datasetMigratePermission,
    resourceRef: entityRef,
  });
  const [isOpen, setOpen] = useState(false);
  const [plan, setPlan] = useState<Plan>();
  const [planError, setPlanError] = useState<Error>();
  const [isBusy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const asks = `Campaign ${membership.campaignName} asks to migrate this dataset`;

  if (loading) return null;
  if (!allowed) {
    return (
      <Typography variant="body2">
        {asks}; it waits for one of the dataset's owners to approve the plan.
      </Typography>
    );
  }

  const review = async () => {
    setOpen(true);
    setPlan(undefined);
    setPlanError(undefined);
    try {
      setPlan((await api.createPlan(entityRef)).plan);
    } catch (e) {
      setPlanError(e as Error);
    }
  };

  const answer = async (
    call: () => Promise<{ dataset: DatasetCampaignMembership }>,
    what: string,
  ) => {
    setBusy(true);
    setFailure(undefined);
    setPlanError(undefined);
    try {
      const { dataset } = await call();
      setOpen(false);
      onAnswered(dataset);
    } catch (e) {
      // In the dialog the panel shows it; on the card, the alert below.
      if (isOpen) setPlanError(e as Error);
      setFailure(`Could not ${what}: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const approve = (reviewed: Plan) =>
    answer(
      () =>
        campaigns.approveCampaignDataset(
          membership.campaignId,
          entityRef,
          reviewed.hash,
        ),
      'approve the plan',
    );
  const decline = () =>
    answer(
      () => campaigns.declineCampaignDataset(membership.campaignId, entityRef),
      'decline',
    );

  const isDifferentPlan = Boolean(
    plan && membership.planHash && plan.hash !== membership.planHash,
  );

  return (
    <Box>
      <Typography variant="body1" gutterBottom>
        <strong>{asks}.</strong> Review the plan, then approve it to queue the
        migration, or decline to leave this dataset out of the campaign.
      </Typography>
      <Box display="flex" style={{ gap: 8 }}>
        <Button
          variant="contained"
          color="primary"
          disabled={isBusy}
          onClick={review}
        >
          Review and approve
        </Button>
        <Button variant="outlined" disabled={isBusy} onClick={decline}>
          Decline
        </Button>
      </Box>
      {failure && !isOpen && (
        <Typography color="error" role="alert" style={{ marginTop: 8 }}>
          {failure}
        </Typography>
      )}
      <PlanReviewDialog
        open={isOpen}
        plan={plan}
        error={planError}
        isStarting={isBusy}
        consumers={getEntityRelations(entity, RELATION_DEPENDENCY_OF)}
        onClose={() => setOpen(false)}
        onConfirm={approve}
        onRetry={review}
        confirmLabel="Approve this plan"
        busyLabel="Approving…"
        confirmErrorTitle="Could not approve the plan"
      />
      {isOpen && isDifferentPlan && (
        <Typography variant="body2" role="status">
          The rules changed since the campaign planned this dataset: approving
          approves the plan shown.
        </Typography>
      )}
    </Box>
  );
};
