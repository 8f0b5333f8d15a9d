import type { CampaignBlockedReason } from '@internal/backstage-plugin-dataset-migrations-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { RefLink } from '../RefLink';

/** Blocked datasets grouped by finding code, most common first, with examples. */
export const BlockedReasons = ({
  reasons,
}: {
  reasons: CampaignBlockedReason[];
}) => {
  if (reasons.length === 0) {
    return <Typography variant="body2">No dataset is blocked.</Typography>;
  }
  const sorted = [...reasons].sort((a, b) => b.count - a.count);
  return (
    <List dense aria-label="blocked reasons">
      {sorted.map(reason => (
        <ListItem key={reason.code} alignItems="flex-start" disableGutters>
          <ListItemText
            primary={
              <>
                <code>{reason.code}</code>:{' '}
                {reason.count.toLocaleString('en-US')} dataset
                {reason.count === 1 ? '' : 's'}
              </>
            }
            secondary={
              <>
                {reason.examples.map(example => (
                  <span key={example.entityRef} style={{ display: 'block' }}>
                    <RefLink entityRef={example.entityRef} />: {example.message}
                  </span>
                ))}
              </>
            }
          />
        </ListItem>
      ))}
    </List>
  );
};
