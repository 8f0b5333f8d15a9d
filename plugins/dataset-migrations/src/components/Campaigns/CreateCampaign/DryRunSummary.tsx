import type {
  CampaignDryRun,
  CampaignMode,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { BlockedReasons } from '../BlockedReasons';

const n = (value: number) => value.toLocaleString('en-US');

/** What the campaign would do: the dry run's counts and why datasets are blocked. */
export const DryRunSummary = ({
  dryRun,
  mode,
}: {
  dryRun: CampaignDryRun;
  mode: CampaignMode;
}) => {
  const waiting =
    mode === 'auto' ? dryRun.planClean - dryRun.autoEligible : dryRun.planClean;
  return (
    <Box mt={2} aria-label="dry run" role="region">
      <Typography variant="subtitle1">Preview</Typography>
      <dl
        style={{
          display: 'grid',
          gridTemplateColumns: 'max-content auto',
          gap: '4px 16px',
          margin: 0,
        }}
      >
        <dt>Matched</dt>
        <dd>{n(dryRun.matched)}</dd>
        <dt>Plan clean</dt>
        <dd>{n(dryRun.planClean)}</dd>
        <dt>Auto-eligible</dt>
        <dd>{n(dryRun.autoEligible)}</dd>
        <dt>Blocked</dt>
        <dd>{n(dryRun.blocked)}</dd>
        <dt>Already active</dt>
        <dd>{n(dryRun.alreadyActive)}</dd>
      </dl>
      <Typography variant="body2" paragraph style={{ marginTop: 8 }}>
        {mode === 'auto'
          ? `${n(dryRun.autoEligible)} would be queued without a click; ${n(
              waiting,
            )} would wait for an owner's approval.`
          : `${n(waiting)} would wait for their owners' approval.`}{' '}
        Blocked datasets wait for a rule fix and a re-plan.
      </Typography>
      {dryRun.blocked > 0 && <BlockedReasons reasons={dryRun.blockedReasons} />}
    </Box>
  );
};
