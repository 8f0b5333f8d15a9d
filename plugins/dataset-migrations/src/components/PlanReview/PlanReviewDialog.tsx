import {
  CodeSnippet,
  Progress,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import type {
  Finding,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { blockingReason } from './blockingReason';

const ARTIFACT_TITLES: Record<string, string> = {
  targetDdl: 'Target table',
  copy: 'Copy',
  copyNext: 'Copy (each later batch)',
  compatibilityView: 'Compatibility view',
  cutover: 'Cutover',
  cutoverRollback: 'Cutover rollback',
  rollback: 'Rollback',
  cleanup: 'Cleanup',
};

const location = (p: { connection: string; schema?: string; table: string }) =>
  `${p.connection}:${p.schema ? `${p.schema}.` : ''}${p.table}`;

const FindingList = ({ findings }: { findings: Finding[] }) => {
  if (findings.length === 0) {
    return (
      <Typography variant="body2">
        No findings: nothing destructive, lossy or data-dependent.
      </Typography>
    );
  }
  const rank = (f: Finding) => (f.severity === 'blocking' ? 0 : 1);
  const sorted = [...findings].sort((a, b) => rank(a) - rank(b));
  return (
    <ul aria-label="findings">
      {sorted.map((f, i) => (
        <li key={i}>
          <Typography
            variant="body2"
            color={f.severity === 'blocking' ? 'error' : 'textPrimary'}
          >
            <strong>
              {f.severity === 'blocking' ? 'Blocking' : 'Warning'}
            </strong>{' '}
            · {f.code}
            {f.column ? ` · ${f.column}` : ''}: {f.message}
          </Typography>
        </li>
      ))}
    </ul>
  );
};

function artifactText(
  value: string | string[] | { source: string; target: string },
): string {
  if (typeof value === 'string') return `${value};`;
  if (Array.isArray(value)) return value.map(v => `${v};`).join('\n\n');
  return `-- source\n${value.source};\n\n-- target\n${value.target};`;
}

const Artifacts = ({ plan }: { plan: Plan }) => (
  <>
    {Object.entries(plan.artifacts).map(([name, value]) => {
      if (value === undefined || (Array.isArray(value) && value.length === 0))
        return null;
      const text = artifactText(value);
      return (
        <Box key={name} mb={2}>
          <Typography variant="subtitle2">
            {name === 'validation'
              ? 'Validation queries'
              : ARTIFACT_TITLES[name] ?? name}
          </Typography>
          <CodeSnippet text={text} language="sql" showCopyCodeButton />
        </Box>
      );
    })}
  </>
);

export type PlanReviewDialogProps = {
  open: boolean;
  plan?: Plan;
  error?: Error;
  isStarting: boolean;
  onClose: () => void;
  onConfirm: (plan: Plan) => void;
};

/** The review of a generated plan: mapping, SQL, findings and preflight, then Confirm. */
export const PlanReviewDialog = ({
  open,
  plan,
  error,
  isStarting,
  onClose,
  onConfirm,
}: PlanReviewDialogProps) => {
  const reason = plan ? blockingReason(plan) : undefined;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      maxWidth="lg"
      fullWidth
      aria-labelledby="plan-review-title"
    >
      <DialogTitle id="plan-review-title">
        Review the migration plan
      </DialogTitle>
      <DialogContent dividers>
        {error && <ResponseErrorPanel error={error} />}
        {!error && !plan && <Progress />}
        {plan && (
          <>
            <Typography variant="h6">
              {location(plan.source)} → {location(plan.target)}
            </Typography>
            <Typography variant="body2" gutterBottom>
              Copy:{' '}
              {plan.copyStrategy === 'push-down'
                ? 'push-down INSERT … SELECT inside the database'
                : 'streamed in key-ordered batches'}
              . Readers of the old name:{' '}
              {plan.compatibility === 'view'
                ? 'a compatibility view with the old columns.'
                : 'the old table, read-only until cleanup; consumers must repoint before finalize.'}{' '}
              Agent {plan.agent.id}@{plan.agent.version}, plan{' '}
              {plan.hash.slice(0, 12)}.
            </Typography>
            <Typography variant="subtitle1">Findings</Typography>
            <FindingList findings={plan.findings} />
            <Typography variant="subtitle1">
              Preflight: {plan.preflight?.status ?? 'not run'}
              {plan.preflight
                ? ` (${plan.preflight.sampleRows} sample rows in ${plan.preflight.durationMs} ms)`
                : ''}
            </Typography>
            {plan.preflight?.error && (
              <Typography variant="body2" color="error">
                {plan.preflight.error}
              </Typography>
            )}
            <Box mt={2} mb={2}>
              <Table
                title="Column mapping"
                options={{ paging: false, search: false, padding: 'dense' }}
                columns={[
                  {
                    title: 'Source column',
                    field: 'source',
                    render: r => r.source ?? '(computed)',
                  },
                  { title: 'Source type', field: 'sourceType' },
                  { title: 'Target column', field: 'target' },
                  { title: 'Target type', field: 'targetType' },
                  { title: 'Rule', field: 'rule' },
                ]}
                data={plan.columns.map(c => ({ ...c }))}
              />
            </Box>
            <Typography variant="subtitle1">Generated SQL</Typography>
            <Artifacts plan={plan} />
          </>
        )}
      </DialogContent>
      <DialogActions>
        {reason && (
          <Typography variant="body2" color="error" role="alert">
            {reason}
          </Typography>
        )}
        <Button onClick={onClose}>Close</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!plan || Boolean(reason) || isStarting}
          onClick={() => plan && onConfirm(plan)}
        >
          {isStarting ? 'Starting…' : 'Confirm and migrate'}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
