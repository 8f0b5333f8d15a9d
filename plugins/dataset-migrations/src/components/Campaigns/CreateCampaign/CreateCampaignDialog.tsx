import { useApi } from '@backstage/core-plugin-api';
import type {
  Campaign,
  CampaignDryRun,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Button from '@material-ui/core/Button';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { campaignsApiRef } from '../../../api';
import { errorMessage } from '../../errorMessage';
import {
  CampaignForm,
  CampaignFormErrors,
  EMPTY_CAMPAIGN_FORM,
  toCampaignRequest,
} from './campaignForm';
import { CampaignFormFields } from './CampaignFormFields';
import { DryRunSummary } from './DryRunSummary';
import { ResponsiveDialog } from '../../ResponsiveDialog';

/**
 * Creating a campaign, for fleet administrators: Preview runs the dry run (nothing is
 * stored), and Create is offered only for the inputs that were previewed, so nothing
 * starts that the admin has not seen counted.
 */
export const CreateCampaignDialog = ({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (campaign: Campaign) => void;
}) => {
  const api = useApi(campaignsApiRef);
  const [form, setForm] = useState<CampaignForm>(EMPTY_CAMPAIGN_FORM);
  const [errors, setErrors] = useState<CampaignFormErrors>({});
  const [preview, setPreview] = useState<{
    key: string;
    dryRun: CampaignDryRun;
  }>();
  const [isBusy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  const { request } = toCampaignRequest(form);
  const requestKey = request ? JSON.stringify(request) : undefined;
  const isPreviewCurrent = Boolean(preview && preview.key === requestKey);

  const change = (next: CampaignForm) => {
    setForm(next);
    setFailure(undefined);
    // An error goes away once its field is fixed; others show on the next Preview.
    const nextErrors = toCampaignRequest(next).errors;
    setErrors(current => {
      const kept: CampaignFormErrors = {};
      for (const key of Object.keys(current) as Array<
        keyof CampaignFormErrors
      >) {
        if (nextErrors[key]) kept[key] = nextErrors[key];
      }
      return kept;
    });
  };

  const runPreview = async () => {
    const checked = toCampaignRequest(form);
    setErrors(checked.errors);
    if (!checked.request) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const { dryRun } = await api.createCampaign({
        ...checked.request,
        dryRun: true,
      });
      setPreview({ key: JSON.stringify(checked.request), dryRun });
    } catch (e) {
      setFailure(`Could not preview the campaign: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const create = async () => {
    if (!request || !isPreviewCurrent) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const { campaign } = await api.createCampaign(request);
      if (!campaign) throw new Error('the backend stored no campaign');
      onCreated(campaign);
      onClose();
    } catch (e) {
      setFailure(`Could not create the campaign: ${errorMessage(e)}`);
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
      aria-labelledby="create-campaign-title"
    >
      <DialogTitle id="create-campaign-title">New campaign</DialogTitle>
      <DialogContent dividers>
        <CampaignFormFields form={form} errors={errors} onChange={change} />
        {preview && <DryRunSummary dryRun={preview.dryRun} mode={form.mode} />}
        <div aria-live="polite">
          {preview && !isPreviewCurrent && (
            <Typography variant="body2" color="textSecondary">
              The inputs changed since this preview: preview again before
              creating.
            </Typography>
          )}
          {failure && (
            <Typography variant="body2" color="error" role="alert">
              {failure}
            </Typography>
          )}
        </div>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
        <Button disabled={isBusy} onClick={runPreview}>
          Preview
        </Button>
        <Button
          color="primary"
          variant="contained"
          disabled={isBusy || !isPreviewCurrent}
          onClick={create}
        >
          Create
        </Button>
      </DialogActions>
    </ResponsiveDialog>
  );
};
