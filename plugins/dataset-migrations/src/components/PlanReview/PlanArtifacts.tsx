import { CodeSnippet } from '@backstage/core-components';
import type {
  Plan,
  PlanArtifacts as Artifacts,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

/** Every artifact, in the order the migration runs them, with what it is for. */
const ARTIFACTS: Array<{ key: keyof Artifacts; title: string }> = [
  { key: 'targetDdl', title: 'Target table (provision)' },
  { key: 'capture', title: 'Change capture on the source (provision)' },
  { key: 'copy', title: 'Copy' },
  { key: 'copyNext', title: 'Copy: each later batch' },
  { key: 'copyInto', title: 'Copy: into the target' },
  { key: 'catchUp', title: 'Catch-up: each batch of logged changes' },
  { key: 'quiesce', title: 'Catch-up: writes paused for the last batch' },
  { key: 'validation', title: 'Validation queries (verify)' },
  { key: 'cutover', title: 'Cutover' },
  { key: 'compatibilityView', title: 'Compatibility view' },
  { key: 'cleanup', title: 'Cleanup (at finalize)' },
  { key: 'rollback', title: 'Rollback of the target table' },
  { key: 'cutoverRollback', title: 'Rollback of the cutover' },
  { key: 'quiesceRollback', title: 'Rollback of the paused writes' },
  { key: 'captureRemoval', title: 'Rollback of the change capture' },
];

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
