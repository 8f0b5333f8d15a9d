import type {
  Finding,
  FindingSeverity,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { findingAction } from './findingActions';
import { FINDING_TOPICS, TOPIC_ORDER } from './findingTopics';

const GROUPS: Array<{
  severity: FindingSeverity;
  title: string;
  alert: 'error' | 'warning';
}> = [
  { severity: 'blocking', title: 'Blocking', alert: 'error' },
  { severity: 'warning', title: 'Warnings', alert: 'warning' },
];

const FindingItem = ({ finding }: { finding: Finding }) => (
  <li>
    <Typography variant="body2">
      <code>{finding.code}</code>
      {finding.column ? (
        <>
          {' '}
          on <code>{finding.column}</code>
        </>
      ) : null}
      : {finding.message}
    </Typography>
    <Typography variant="body2">
      <strong>What to do:</strong> {findingAction(finding)}
    </Typography>
  </li>
);

/**
 * The plan's lint findings, grouped by severity (blocking ones first, styled as errors),
 * then by what they are about: the target, the data, the new table's schema, other
 * tables, readers. Each says what to do about it.
 */
export const FindingList = ({ findings }: { findings: Finding[] }) => {
  if (findings.length === 0) {
    return (
      // A status, not an alert: nothing here needs a screen reader's interruption.
      <Alert severity="success" role="status">
        No findings: nothing destructive, lossy or data-dependent.
      </Alert>
    );
  }
  return (
    <>
      {GROUPS.map(({ severity, title, alert }) => {
        const group = findings.filter(f => f.severity === severity);
        if (group.length === 0) return null;
        const heading = `${title} (${group.length})`;
        return (
          <Box key={severity} mb={1}>
            {/* A group, not role="alert": the review is read, not announced. */}
            <Alert severity={alert} role="group" aria-label={heading}>
              <Typography variant="subtitle2" component="h3">
                {heading}
              </Typography>
              {TOPIC_ORDER.map(topic => {
                const about = group.filter(
                  f => FINDING_TOPICS[f.code] === topic,
                );
                if (about.length === 0) return null;
                return (
                  <Box key={topic} mt={0.5}>
                    <Typography variant="body2" component="h4">
                      <strong>{topic}</strong>
                    </Typography>
                    <ul
                      aria-label={`${title}: ${topic} (${about.length})`}
                      style={{ marginTop: 4, paddingLeft: 20 }}
                    >
                      {about.map((f, i) => (
                        <FindingItem
                          key={`${f.code}-${f.column ?? ''}-${i}`}
                          finding={f}
                        />
                      ))}
                    </ul>
                  </Box>
                );
              })}
            </Alert>
          </Box>
        );
      })}
    </>
  );
};
