import { CodeSnippet } from '@backstage/core-components';
import type {
  Plan,
  PlanArtifacts as Artifacts,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';

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

/**
 * The cutover's own statements. The plan's cutover ends with the compatibility view's
 * statements, since the executor runs the cutover as one unit (and the approved hash
 * covers exactly what runs); the review shows the view once, in its own section.
 */
export function cutoverText(artifacts: Artifacts): string {
  const view = new Set(artifacts.compatibilityView);
  const own = artifacts.cutover.filter(sql => !view.has(sql));
  if (own.length === artifacts.cutover.length) return artifactText(own);
  return `${artifactText(
    own,
  )}\n\n-- then the statements of "Compatibility view" (the next section)`;
}

/**
 * The generated SQL, one collapsed section per artifact (a plan has up to 23, some
 * long): each readable and copyable on its own once opened. The SQL mounts only when
 * opened, so a large plan does not highlight every statement up front.
 */
export const PlanArtifacts = ({ plan }: { plan: Plan }) => (
  <div>
    {ARTIFACTS.map(({ key, title }) => {
      const text =
        key === 'cutover'
          ? cutoverText(plan.artifacts)
          : artifactText(plan.artifacts[key]);
      if (!text) return null;
      return (
        <Accordion key={key} TransitionProps={{ unmountOnExit: true }}>
          <AccordionSummary
            expandIcon={<ExpandMoreIcon />}
            id={`plan-artifact-${key}`}
            aria-controls={`plan-artifact-${key}-sql`}
          >
            <Typography variant="subtitle2" component="span">
              {title}
            </Typography>
          </AccordionSummary>
          <AccordionDetails style={{ display: 'block' }}>
            <CodeSnippet text={text} language="sql" showCopyCodeButton />
          </AccordionDetails>
        </Accordion>
      );
    })}
  </div>
);
