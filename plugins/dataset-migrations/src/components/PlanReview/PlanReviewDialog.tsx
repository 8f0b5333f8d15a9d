import { Progress } from '@backstage/core-components';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import {
  formatDatasetLocation,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { useEffect, useRef } from 'react';
import { blockingReason } from './blockingReason';
import { ColumnMappingTable } from './ColumnMappingTable';
import { ConsumerExperienceNote } from './ConsumerExperienceNote';
import { FindingList } from './FindingList';
import { PlanArtifacts } from './PlanArtifacts';
import { PreflightSummary } from './PreflightSummary';
import { ResponsiveDialog } from '../ResponsiveDialog';
import { BackendErrorPanel } from '../BackendErrorPanel';

export type PlanReviewDialogProps = {
  open: boolean;
  plan?: Plan;
  /** Why the plan could not be generated, or why starting it failed. */
  error?: Error;
  isStarting: boolean;
  /** Downstream consumers of the dataset, named when they must repoint. */
  consumers?: CompoundEntityRef[];
  onClose: () => void;
  onConfirm: (plan: Plan) => void;
  /** Generates the plan again (after an error). */
  onRetry?: () => void;
  /** What confirming does, e.g. "Approve" when a campaign asks; default: migrate. */
  confirmLabel?: string;
  busyLabel?: string;
  /** Heads an error that came from confirming. */
  confirmErrorTitle?: string;
};

const Section = ({ title }: { title: string }) => (
  <Typography variant="subtitle1" style={{ marginTop: 16 }}>
    {title}
  </Typography>
);

function copyDescription(plan: Plan): string {
  switch (plan.copyStrategy) {
    case 'push-down':
      return 'pushed down into the database (INSERT … SELECT)';
    case 'copy-pipe':
      return `piped from COPY TO into COPY FROM, one committed range of ${plan.copyKey.join(
        ', ',
      )} at a time`;
    default:
      return `streamed in batches ordered by ${
        plan.copyKey.join(', ') || 'table order (no copy key)'
      }`;
  }
}

const PlanSummary = ({ plan }: { plan: Plan }) => (
  <>
    <Typography variant="h6">
      {formatDatasetLocation(plan.source)} →{' '}
      {formatDatasetLocation(plan.target)}
    </Typography>
    <Typography variant="body2" gutterBottom>
      {plan.source.engine} → {plan.target.engine}, about{' '}
      {plan.source.rowEstimate.toLocaleString('en-US')} rows. Copy:{' '}
      {copyDescription(plan)}. Agent {plan.agent.id}@{plan.agent.version}, plan{' '}
      <code>{plan.hash.slice(0, 12)}</code>.
    </Typography>
  </>
);

/**
 * The review of a generated plan, most important first: source → target, the findings
 * and what to do about them, what consumers experience, preflight, then the mapping and
 * the SQL (collapsed per artifact), then Confirm.
 */
export const PlanReviewDialog = ({
  open,
  plan,
  error,
  isStarting,
  consumers = [],
  onClose,
  onConfirm,
  onRetry,
  confirmLabel = 'Confirm and migrate',
  busyLabel = 'Starting…',
  confirmErrorTitle = 'Could not start the migration',
}: PlanReviewDialogProps) => {
  const reason = plan ? blockingReason(plan) : undefined;
  // Focus moves to Confirm once the plan is ready and confirmable, rather than staying
  // before the content's copy buttons and links: the reviewer reads, confirms with
  // Enter, and Tab from there goes round to the content.
  const isConfirmable = Boolean(plan) && !reason;
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open && isConfirmable) confirmRef.current?.focus();
  }, [open, isConfirmable]);
  return (
    <ResponsiveDialog
      open={open}
      onClose={onClose}
      maxWidth="lg"
      fullWidth
      aria-labelledby="plan-review-title"
    >
      <DialogTitle id="plan-review-title">
        Review the migration plan
      </DialogTitle>
      {/* The plan scrolls: focusable and named, so a keyboard can scroll it too (axe:
          scrollable-region-focusable). */}
      <DialogContent
        dividers
        tabIndex={0}
        role="region"
        aria-labelledby="plan-review-title"
      >
        {error && (
          <Box mb={2}>
            <BackendErrorPanel
              error={error}
              title={plan ? confirmErrorTitle : 'Could not generate the plan'}
            />
          </Box>
        )}
        {!error && !plan && (
          <>
            <Typography variant="body2">
              Reading the table, applying the rules and proving the SQL on a
              sample…
            </Typography>
            <Progress />
          </>
        )}
        {plan && (
          <>
            <PlanSummary plan={plan} />
            <Section title="Findings" />
            <FindingList findings={plan.findings} />
            <Section title="What consumers experience" />
            <ConsumerExperienceNote plan={plan} consumers={consumers} />
            <Section title="Preflight" />
            <PreflightSummary plan={plan} />
            <Box mt={2} mb={2}>
              <ColumnMappingTable columns={plan.columns} />
            </Box>
            <Section title="Generated SQL" />
            <PlanArtifacts plan={plan} />
          </>
        )}
      </DialogContent>
      <DialogActions>
        {reason && (
          <Typography variant="body2" color="error" role="alert">
            {reason}
          </Typography>
        )}
        {error && !plan && onRetry && (
          <Button onClick={onRetry}>Generate the plan again</Button>
        )}
        <Button onClick={onClose}>Close</Button>
        <Button
          color="primary"
          variant="contained"
          ref={confirmRef}
          disabled={!plan || Boolean(reason) || isStarting}
          onClick={() => plan && onConfirm(plan)}
        >
          {isStarting ? busyLabel : confirmLabel}
        </Button>
      </DialogActions>
    </ResponsiveDialog>
  );
};
