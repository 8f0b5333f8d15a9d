import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  datasetMigrationsAdminPermission,
  Rollout,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { rolloutsApiRef } from '../../api';
import { useIsReconnecting } from '../BackendStatus';
import { errorMessage } from '../errorMessage';
import { ResponsiveDialog } from '../ResponsiveDialog';

const ON_ABORT: Record<Rollout['onAbort'], string> = {
  finish: 'its running migrations finish with it',
  rollback: 'its running migrations are rolled back',
};

/**
 * Abort for fleet administrators (others see nothing), while the rollout is active.
 * It asks first, saying what happens to the candidate's migrations; a refusal shows
 * the backend's reason.
 */
export const AbortRolloutButton = ({
  rollout,
  onDone,
}: {
  rollout: Rollout;
  onDone: () => void;
}) => {
  const api = useApi(rolloutsApiRef);
  const { allowed } = usePermission({
    permission: datasetMigrationsAdminPermission,
  });
  const [isConfirming, setConfirming] = useState(false);
  const [isActing, setActing] = useState(false);
  const [failure, setFailure] = useState<string>();
  const isReconnecting = useIsReconnecting();
  if (!allowed || rollout.status !== 'active') return null;

  const abort = async () => {
    setActing(true);
    setFailure(undefined);
    try {
      await api.abortRollout(rollout.id);
      setConfirming(false);
      onDone();
    } catch (e) {
      setFailure(`Abort failed: ${errorMessage(e)}`);
    } finally {
      setActing(false);
    }
  };

  return (
    <Box mt={2}>
      <Button
        variant="outlined"
        disabled={isReconnecting}
        onClick={() => setConfirming(true)}
      >
        Abort rollout
      </Button>
      <ResponsiveDialog
        open={isConfirming}
        onClose={() => setConfirming(false)}
        aria-labelledby="confirm-abort-rollout-title"
      >
        <DialogTitle id="confirm-abort-rollout-title">
          Abort the rollout of {rollout.agentId} {rollout.candidateVersion}?
        </DialogTitle>
        <DialogContent>
          <Typography>
            No new migration gets {rollout.candidateVersion} from now on; queued
            migrations it planned are planned again by {rollout.stableVersion},
            and {ON_ABORT[rollout.onAbort]}.
          </Typography>
          {failure && (
            <Typography color="error" role="alert" style={{ marginTop: 8 }}>
              {failure}
            </Typography>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Keep it</Button>
          <Button
            color="primary"
            variant="contained"
            disabled={isActing || isReconnecting}
            onClick={abort}
          >
            Abort rollout
          </Button>
        </DialogActions>
      </ResponsiveDialog>
    </Box>
  );
};
