import { useApi } from '@backstage/core-plugin-api';
import type {
  AgentVersions,
  Rollout,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Button from '@material-ui/core/Button';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { rolloutsApiRef } from '../../../api';
import { errorMessage } from '../../errorMessage';
import {
  DEFAULT_ROLLOUT_FORM,
  RolloutForm,
  RolloutFormErrors,
  toRolloutRequest,
} from './rolloutForm';
import { RolloutFormFields } from './RolloutFormFields';
import { ResponsiveDialog } from '../../ResponsiveDialog';

/**
 * Starting a rollout, for fleet administrators: the agents and versions come from
 * the backend's registry, each input is checked before anything is sent, and a
 * refusal (another rollout of the agent is active, say) shows the backend's reason.
 */
export const StartRolloutDialog = ({
  open,
  agents,
  onClose,
  onStarted,
}: {
  open: boolean;
  agents: AgentVersions[];
  onClose: () => void;
  onStarted: (rollout: Rollout) => void;
}) => {
  const api = useApi(rolloutsApiRef);
  const [form, setForm] = useState<RolloutForm>(DEFAULT_ROLLOUT_FORM);
  const [errors, setErrors] = useState<RolloutFormErrors>({});
  const [isBusy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  const change = (next: RolloutForm) => {
    setForm(next);
    setFailure(undefined);
    // An error goes away once its field is fixed; others show on the next Start.
    const nextErrors = toRolloutRequest(next).errors;
    setErrors(current => {
      const kept: RolloutFormErrors = {};
      for (const key of Object.keys(current) as Array<keyof RolloutForm>) {
        if (nextErrors[key]) kept[key] = nextErrors[key];
      }
      return kept;
    });
  };

  const start = async () => {
    const checked = toRolloutRequest(form);
    setErrors(checked.errors);
    if (!checked.request) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const { rollout } = await api.createRollout(checked.request);
      onStarted(rollout);
      onClose();
    } catch (e) {
      setFailure(`Could not start the rollout: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <ResponsiveDialog
      open={open}
      onClose={onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="start-rollout-title"
    >
      <DialogTitle id="start-rollout-title">Start rollout</DialogTitle>
      <DialogContent dividers>
        <RolloutFormFields
          agents={agents}
          form={form}
          errors={errors}
          onChange={change}
        />
        <div aria-live="polite">
          {failure && (
            <Typography variant="body2" color="error" role="alert">
              {failure}
            </Typography>
          )}
        </div>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={isBusy}
          onClick={start}
        >
          Start
        </Button>
      </DialogActions>
    </ResponsiveDialog>
  );
};
