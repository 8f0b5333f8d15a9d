import { CodeSnippet } from '@backstage/core-components';
import type {
  Plan,
  PlanArtifacts as Artifacts,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

/**
 * Every artifact, in the order the migration runs them, with what it is for. A record
 * over the plan's artifact keys, so a new artifact cannot be left out of the review.
 */
const TITLES: Record<keyof Artifacts, string> = {
  targetDdl: 'Target table (provision)',
  capture: 'Change capture on the source (provision)',
  copy: 'Copy',
  copyNext: 'Copy: each later batch',
  copyInto: 'Copy: into the target',
  postCopyDdl: 'Indexes built after the copy',
  catchUp: 'Catch-up: each batch of logged changes',
  validation: 'Validation queries (verify)',
  quiesce: 'Verify: writes paused for the last batches',
  targetConstraints: "Cutover: the new table's foreign keys",
  identitySync: 'Cutover: identity sequences moved past the copied keys',
  incomingForeignKeys: "Cutover: other tables' foreign keys re-pointed",
  incomingForeignKeysValidation: 'Cutover: re-pointed foreign keys validated',
  compatibilityCapture: 'Cutover: writes to the new table counted',
  cutover: 'Cutover',
  compatibilityView: 'Compatibility view',
  cleanup: 'Cleanup (at finalize)',
  rollback: 'Rollback of the target table',
  cutoverRollback: 'Rollback of the cutover',
  incomingForeignKeysRollback: 'Rollback of the re-pointed foreign keys',
  compatibilityCaptureRemoval: 'Rollback of the write counting',
  quiesceRollback: 'Rollback of the paused writes',
  captureRemoval: 'Rollback of the change capture',
};
const ARTIFACTS = (Object.keys(TITLES) as Array<keyof Artifacts>).map(key => ({
  key,
  title: TITLES[key],
}));

export function artifactText(value: Artifacts[keyof Artifacts]): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return `${value};`;
  if (Array.isArray(value)) return value.map(v => `${v};`).join('\n\n');
  return `-- on the source\n${value.source};\n\n-- on the target\n${value.target};`;
}

/** The generated SQL, each artifact readable and copyable on its own. */
export const PlanArtifacts = ({ plan }: { plan: Plan }) => (
  <>
    {ARTIFACTS.map(({ key, title }) => {
      const text = artifactText(plan.artifacts[key]);
      if (!text) return null;
      return (
        <Box key={key} mb={2} aria-label={title} role="region">
          <Typography variant="subtitle2">{title}</Typography>
          <CodeSnippet text={text} language="sql" showCopyCodeButton />
        </Box>
      );
    })}
  </>
);
