import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { CampaignDataset } from '@internal/backstage-plugin-dataset-migrations-common';
import LinearProgress from '@material-ui/core/LinearProgress';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { campaignsApiRef, datasetMigrationsApiRef } from '../../api';
import { errorMessage } from '../errorMessage';
import { MigrationLink } from '../MigrationLink';

/** At most this many running migrations are shown, each asked for its progress. */
export const RUNNING_SHOWN = 10;

/** One running migration's current step and copy progress. */
const MigrationProgress = ({
  id,
  refreshKey,
}: {
  id: string;
  refreshKey: unknown;
}) => {
  const api = useApi(datasetMigrationsApiRef);
  const { value } = useAsync(() => api.getMigration(id), [api, id, refreshKey]);
  const step = value?.migration.steps.find(s => s.status === 'running');
  if (!step) return null;
  const { done, total, unit } = step.progress;
  return (
    <>
      <Typography variant="caption" component="span">
        {step.name}
        {total
          ? `: ${done.toLocaleString('en-US')} / ${total.toLocaleString(
              'en-US',
            )} ${unit ?? ''}`
          : ''}
      </Typography>
      {total ? (
        <LinearProgress
          variant="determinate"
          value={Math.min(100, (done / total) * 100)}
          aria-label={`${step.name} progress`}
        />
      ) : null}
    </>
  );
};

/** The campaign's running migrations (the first few), each with its live progress. */
export const RunningMigrations = ({
  campaignId,
  running,
  refreshKey,
}: {
  campaignId: string;
  /** How many run in all, from the campaign's counts. */
  running: number;
  refreshKey: unknown;
}) => {
  const api = useApi(campaignsApiRef);
  const { value, error } = useAsync(
    () =>
      running > 0
        ? api.listCampaignDatasets(campaignId, {
            state: 'running',
            limit: RUNNING_SHOWN,
          })
        : Promise.resolve({ items: [] as CampaignDataset[], nextCursor: null }),
    [api, campaignId, running, refreshKey],
  );
  const items = value?.items ?? [];
  return (
    <InfoCard title={`Running migrations (${running})`}>
      {error && (
        <Typography color="error">
          Could not load the running migrations: {errorMessage(error)}
        </Typography>
      )}
      {running === 0 && (
        <Typography variant="body2">
          No migration of this campaign runs now.
        </Typography>
      )}
      <List dense aria-label="running migrations">
        {items.map(d => (
          <ListItem key={d.entityRef} disableGutters>
            <ListItemText
              disableTypography
              primary={
                <Typography variant="body2">
                  <EntityRefLink entityRef={d.entityRef} hideIcon />
                  {d.migrationId && (
                    <>
                      {' · '}
                      <MigrationLink id={d.migrationId}>Open</MigrationLink>
                    </>
                  )}
                </Typography>
              }
              secondary={
                d.migrationId ? (
                  <MigrationProgress
                    id={d.migrationId}
                    refreshKey={refreshKey}
                  />
                ) : null
              }
            />
          </ListItem>
        ))}
      </List>
      {running > items.length && items.length > 0 && (
        <Typography variant="body2" color="textSecondary">
          and {(running - items.length).toLocaleString('en-US')} more: filter
          the datasets below by "running".
        </Typography>
      )}
    </InfoCard>
  );
};
