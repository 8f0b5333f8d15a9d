import type {
  Finding,
  FindingSeverity,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { FINDING_TOPICS, TOPIC_ORDER } from './findingTopics';

const GROUPS: Array<{ severity: FindingSeverity; title: string }> = [
  { severity: 'blocking', title: 'Blocking' },
  { severity: 'warning', title: 'Warnings' },
];

/**
 * The plan's lint findings, grouped by severity (blocking ones first), then by what
 * they are about: the target, the data, the new table's schema, other tables, readers.
 */
export const FindingList = ({ findings }: { findings: Finding[] }) => {
  if (findings.length === 0) {
    return (
      <Typography variant="body2">
        No findings: nothing destructive, lossy or data-dependent.
      </Typography>
    );
  }
  return (
    <>
      {GROUPS.map(({ severity, title }) => {
        const group = findings.filter(f => f.severity === severity);
        if (group.length === 0) return null;
        return (
          <Box key={severity} mb={1}>
            <Typography
              variant="subtitle2"
              component="h3"
              color={severity === 'blocking' ? 'error' : 'textPrimary'}
            >
              {`${title} (${group.length})`}
            </Typography>
            {TOPIC_ORDER.map(topic => {
              const about = group.filter(f => FINDING_TOPICS[f.code] === topic);
              if (about.length === 0) return null;
              const label = `${title}: ${topic} (${about.length})`;
              return (
                <Box key={topic} ml={1} mt={0.5}>
                  <Typography variant="body2" component="h4">
                    <strong>{topic}</strong>
                  </Typography>
                  <ul aria-label={label} style={{ marginTop: 4 }}>
                    {about.map((f, i) => (
                      <li key={`${f.code}-${f.column ?? ''}-${i}`}>
                        <Typography variant="body2">
                          <code>{f.code}</code>
                          {f.column ? (
                            <>
                              {' '}
                              on <code>{f.column}</code>
                            </>
                          ) : null}
                          : {f.message}
                        </Typography>
                      </li>
                    ))}
                  </ul>
                </Box>
              );
            })}
          </Box>
        );
      })}
    </>
  );
};
