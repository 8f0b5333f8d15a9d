import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Campaign,
  datasetMigrationsAdminPermission,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { campaignsApiRef } from '../../api';
import { useIsReconnecting } from '../BackendStatus';
import { DangerButton } from '../DangerButton';
import { errorMessage } from '../errorMessage';
import { CAMPAIGN_ACTION_SPECS, CampaignActionSpec } from './campaignActions';
import { ResponsiveDialog } from '../ResponsiveDialog';

/**
 * The actions that apply to the campaign now, for fleet administrators only (others
 * see none). Cancel and finalize ask first; the outcome is announced politely.
 */
export const CampaignActions = ({
  campaign,
  onDone,
}: {
  campaign: Campaign;
  onDone: () => void;
}) => {
  const api = useApi(campaignsApiRef);
  const { allowed } = usePermission({
    permission: datasetMigrationsAdminPermission,
  });
  const [pending, setPending] = useState<CampaignActionSpec>();
  const [isActing, setActing] = useState(false);
  const [outcome, setOutcome] = useState<{ text: string; isError: boolean }>();
  const isReconnecting = useIsReconnecting();
  if (!allowed) return null;
  const available = CAMPAIGN_ACTION_SPECS.filter(a => a.appliesTo(campaign));

  const act = async (spec: CampaignActionSpec) => {
    setActing(true);
    setOutcome(undefined);
    try {
      const { affected } = await api.actOnCampaign(campaign.id, spec.action);
      setPending(undefined);
      setOutcome({
        text: `${spec.label}: done, ${affected.toLocaleString(
          'en-US',
        )} dataset${affected === 1 ? '' : 's'} affected.`,
        isError: false,
      });
      onDone();
    } catch (e) {
      setOutcome({
        text: `${spec.label} failed: ${errorMessage(e)}`,
        isError: true,
      });
    } finally {
      setActing(false);
    }
  };

  return (
    <Box mt={2}>
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        {available.map(spec => {
          const ActionButton = spec.isIrreversible ? DangerButton : Button;
          return (
            <ActionButton
              key={spec.action}
              variant="outlined"
              disabled={isActing || isReconnecting}
              onClick={() => (spec.consequence ? setPending(spec) : act(spec))}
            >
              {spec.label}
            </ActionButton>
          );
        })}
      </Box>
      <div aria-live="polite">
        {outcome && !pending && (
          <Typography
            variant="body2"
            color={outcome.isError ? 'error' : 'textSecondary'}
            style={{ marginTop: 8 }}
          >
            {outcome.text}
          </Typography>
        )}
      </div>
      <ResponsiveDialog
        open={Boolean(pending)}
        onClose={() => setPending(undefined)}
        aria-labelledby="confirm-campaign-action-title"
      >
        <DialogTitle id="confirm-campaign-action-title">
          {pending?.label}: {campaign.name}?
        </DialogTitle>
        <DialogContent>
          <Typography>{pending?.consequence}</Typography>
          {outcome?.isError && (
            <Typography color="error" role="alert" style={{ marginTop: 8 }}>
              {outcome.text}
            </Typography>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setPending(undefined)}>Keep it</Button>
          {pending?.isIrreversible ? (
            <DangerButton
              variant="contained"
              disabled={isActing || isReconnecting}
              onClick={() => act(pending)}
            >
              {pending.label}
            </DangerButton>
          ) : (
            <Button
              color="primary"
              variant="contained"
              disabled={isActing || isReconnecting}
              onClick={() => pending && act(pending)}
            >
              {pending?.label}
            </Button>
          )}
        </DialogActions>
      </ResponsiveDialog>
    </Box>
  );
};
