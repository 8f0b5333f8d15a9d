import type { PreflightResult } from '@internal/backstage-plugin-dataset-migrations-common';
import Typography from '@material-ui/core/Typography';
import { StatusLabel } from '../StatusLabel';

/** Whether the generated SQL already ran once on a sample, and how it went. */
export const PreflightSummary = ({
  preflight,
}: {
  preflight?: PreflightResult;
}) => {
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
          ? `Proved on a sample of ${preflight.sampleRows} rows in ${preflight.durationMs} ms: target DDL, copy, validation, compatibility view and rollback ran, and nothing stayed behind.`
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
