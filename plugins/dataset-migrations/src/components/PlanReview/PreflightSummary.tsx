import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import Typography from '@material-ui/core/Typography';
import { StatusLabel } from '../StatusLabel';

/**
 * What the backend's preflight (runPreflight) ran for this plan, in its order: only the
 * artifacts the plan has, so a plan without a compatibility view never reads as if one
 * was proven.
 */
export function provenParts(plan: Plan): string[] {
  return [
    'target table',
    'copy',
    ...((plan.artifacts.postCopyDdl ?? []).length > 0
      ? ['indexes built after the copy']
      : []),
    'validation',
    ...(plan.artifacts.compatibilityView.length > 0
      ? ['compatibility view']
      : []),
    'rollback',
  ];
}

function list(parts: string[]): string {
  return parts.length > 1
    ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`
    : parts.join('');
}

/** Whether the generated SQL already ran once on a sample, and how it went. */
export const PreflightSummary = ({ plan }: { plan: Plan }) => {
  const { preflight } = plan;
  if (!preflight) {
    return (
      <Typography variant="body2" color="error">
        Preflight did not run, so the generated SQL is unproven.
      </Typography>
    );
  }
  return (
    <>
      <Typography variant="body2">
        <StatusLabel
          status={preflight.status === 'passed' ? 'succeeded' : 'failed'}
        />{' '}
        {preflight.status === 'passed'
          ? `Proved on a sample of ${preflight.sampleRows} rows in ${
              preflight.durationMs
            } ms: the ${list(
              provenParts(plan),
            )} SQL ran, and nothing stayed behind.`
          : `Preflight failed${
              preflight.failedArtifact
                ? ` on the ${preflight.failedArtifact} SQL`
                : ''
            } after ${preflight.durationMs} ms.`}
      </Typography>
      {preflight.error && (
        <Typography variant="body2" color="error">
          {preflight.error}
        </Typography>
      )}
    </>
  );
};
