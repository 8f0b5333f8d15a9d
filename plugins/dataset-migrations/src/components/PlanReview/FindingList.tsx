import type {
  Finding,
  FindingSeverity,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

const GROUPS: Array<{ severity: FindingSeverity; title: string }> = [
  { severity: 'blocking', title: 'Blocking' },
  { severity: 'warning', title: 'Warnings' },
];

/** The plan's lint findings, grouped by severity, blocking ones first. */
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
        const label = `${title} (${group.length})`;
        return (
          <Box key={severity} mb={1}>
            <Typography
              variant="subtitle2"
              color={severity === 'blocking' ? 'error' : 'textPrimary'}
            >
              {label}
            </Typography>
            <ul aria-label={label} style={{ marginTop: 4 }}>
              {group.map((f, i) => (
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
    </>
  );
};
