import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  datasetMigratePermission,
  Migration,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { datasetMigrationsApiRef } from '../../api';
import { PlanReviewDialog } from '../PlanReview/PlanReviewDialog';

/**
 * Migrate: one click generates the plan and opens its review; Confirm starts the
 * migration with the reviewed hash. Disabled, with the reason, for non-owners and
 * while another migration of the dataset is active.
 */
export const MigrateButton = ({
  activeMigration,
  onStarted,
}: {
  activeMigration?: Migration;
  onStarted: (m: Migration) => void;
}) => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(datasetMigrationsApiRef);
  const { allowed, loading } = usePermission({
    permission: datasetMigratePermission,
    resourceRef: entityRef,
  });
  const [open, setOpen] = useState(false);
  const [plan, setPlan] = useState<Plan>();
  const [error, setError] = useState<Error>();
  const [isStarting, setStarting] = useState(false);

  let reason: string | undefined;
  if (!loading && !allowed)
    reason = 'Only the owners of this dataset can migrate it.';
  else if (activeMigration)
    reason = `A migration of this dataset is ${activeMigration.status.replace(
      '_',
      ' ',
    )}; it must finish first.`;

  const openReview = async () => {
    setOpen(true);
    setPlan(undefined);
    setError(undefined);
    try {
      setPlan((await api.createPlan(entityRef)).plan);
    } catch (e) {
      setError(e as Error);
    }
  };

  const confirm = async (reviewed: Plan) => {
    setStarting(true);
    try {
      const { migration } = await api.startMigration(entityRef, reviewed.hash);
      setOpen(false);
      onStarted(migration);
    } catch (e) {
      setError(e as Error);
    } finally {
      setStarting(false);
    }
  };

  return (
    <Box display="flex" alignItems="center" style={{ gap: 16 }}>
      <Button
        variant="contained"
        color="primary"
        disabled={loading || Boolean(reason)}
        onClick={openReview}
      >
        Migrate
      </Button>
      {reason && (
        <Typography variant="body2" color="textSecondary">
          {reason}
        </Typography>
      )}
      <PlanReviewDialog
        open={open}
        plan={plan}
        error={error}
        isStarting={isStarting}
        onClose={() => setOpen(false)}
        onConfirm={confirm}
      />
    </Box>
  );
};
