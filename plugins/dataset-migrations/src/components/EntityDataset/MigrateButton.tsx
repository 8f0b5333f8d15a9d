import { useApi } from '@backstage/core-plugin-api';
import {
  RELATION_DEPENDENCY_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { getEntityRelations, useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  datasetMigratePermission,
  Migration,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { datasetMigrationsApiRef } from '../../api';
import { useIsReconnecting } from '../BackendStatus';
import { PlanReviewDialog } from '../PlanReview/PlanReviewDialog';

/** Why the dataset cannot be migrated now, or undefined when it can. */
function disabledReason(
  isAllowed: boolean,
  activeMigration?: Migration,
): string | undefined {
  if (!isAllowed) return 'Only the owners of this dataset can migrate it.';
  if (activeMigration) {
    return `A migration of this dataset is ${activeMigration.status.replace(
      '_',
      ' ',
    )}: it must finish, or be cancelled or rolled back, first.`;
  }
  return undefined;
}

/**
 * Migrate: one click generates the plan and opens its review; Confirm starts the
 * migration with the reviewed hash. Disabled, with the reason, for people who may not
 * migrate the dataset and while another migration of it is active.
 */
export const MigrateButton = ({
  activeMigration,
  unavailableReason,
  onPlan,
  onStarted,
}: {
  activeMigration?: Migration;
  /** Why the dataset's table cannot be migrated at all (it is gone), when it cannot. */
  unavailableReason?: string;
  /** Called with every plan generated, e.g. to tell how consumers are protected. */
  onPlan?: (plan: Plan) => void;
  onStarted: (migration: Migration) => void;
}) => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(datasetMigrationsApiRef);
  const { allowed, loading } = usePermission({
    permission: datasetMigratePermission,
    resourceRef: entityRef,
  });
  const [isOpen, setOpen] = useState(false);
  const [plan, setPlan] = useState<Plan>();
  const [error, setError] = useState<Error>();
  const [isStarting, setStarting] = useState(false);
  const isReconnecting = useIsReconnecting();
  let reason =
    unavailableReason ??
    (loading ? undefined : disabledReason(allowed, activeMigration));
  if (isReconnecting) {
    reason = 'Waiting for the Dataset Migrations backend to answer again.';
  }

  const generatePlan = async () => {
    setOpen(true);
    setPlan(undefined);
    setError(undefined);
    try {
      const generated = (await api.createPlan(entityRef)).plan;
      setPlan(generated);
      onPlan?.(generated);
    } catch (e) {
      setError(e as Error);
    }
  };

  const confirm = async (reviewed: Plan) => {
    setStarting(true);
    setError(undefined);
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
      <Tooltip title={reason ?? 'Generate the plan and review it'}>
        {/* A disabled button fires no events: the span carries the tooltip. */}
        <span>
          <Button
            variant="contained"
            color="primary"
            disabled={loading || Boolean(reason)}
            onClick={generatePlan}
          >
            Migrate
          </Button>
        </span>
      </Tooltip>
      {reason && (
        <Typography variant="body2" color="textSecondary">
          {reason}
        </Typography>
      )}
      <PlanReviewDialog
        open={isOpen}
        plan={plan}
        error={error}
        isStarting={isStarting}
        consumers={getEntityRelations(entity, RELATION_DEPENDENCY_OF)}
        onClose={() => setOpen(false)}
        onConfirm={confirm}
        onRetry={generatePlan}
      />
    </Box>
  );
};
