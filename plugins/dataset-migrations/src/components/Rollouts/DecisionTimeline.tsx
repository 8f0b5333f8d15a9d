import type { RolloutDecision } from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { describeStats } from './rolloutNumbers';
import { DecisionLabel } from './RolloutStatus';
import { RefLink } from '../RefLink';
import { RelativeTime } from '../RelativeTime';

const useStyles = makeStyles(theme => ({
  timeline: { listStyle: 'none', margin: 0, padding: 0 },
  entry: {
    borderLeft: `2px solid ${theme.palette.divider}`,
    paddingLeft: theme.spacing(2),
    paddingBottom: theme.spacing(2),
    position: 'relative',
    '&::before': {
      content: '""',
      position: 'absolute',
      left: -6,
      top: 4,
      width: 10,
      height: 10,
      borderRadius: '50%',
      background: theme.palette.primary.main,
    },
  },
}));

/**
 * Every decision of the rollout in the order it was taken, with the numbers that led
 * to it: the audit trail an admin reads to see why a version was promoted or stopped.
 */
export const DecisionTimeline = ({
  decisions,
}: {
  decisions: RolloutDecision[];
}) => {
  const classes = useStyles();
  if (decisions.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No decision yet.
      </Typography>
    );
  }
  return (
    <ol className={classes.timeline} aria-label="decision history">
      {decisions.map(d => (
        <li key={d.id} className={classes.entry}>
          <Box display="flex" alignItems="baseline" style={{ gap: 8 }}>
            <DecisionLabel decision={d.decision} />
            <Typography variant="body2" color="textSecondary">
              <RelativeTime at={d.at} /> · step {d.step + 1} at {d.share} % · by{' '}
              {d.actor ? <RefLink entityRef={d.actor} /> : 'the gates'}
            </Typography>
          </Box>
          <Typography variant="body2">{d.message}</Typography>
          {(d.candidate || d.stable) && (
            <Typography variant="caption" color="textSecondary" component="p">
              {d.candidate && `Candidate ${describeStats(d.candidate)}.`}{' '}
              {d.stable && `Stable ${describeStats(d.stable)}.`}
            </Typography>
          )}
        </li>
      ))}
    </ol>
  );
};
