import { WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  DATASET_LOCATION_ANNOTATION,
  FINAL_MIGRATION_STATUSES,
  getDatasetLocation,
  Migration,
  MigrationListSignal,
  MIGRATIONS_SIGNAL_CHANNEL,
  MigrationStatus,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Grid from '@material-ui/core/Grid';
import { useCallback, useEffect, useRef, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { datasetMigrationsApiRef } from '../../api';
import { ReconnectingNotice } from '../BackendErrorPanel';
import { BackendStatusProvider } from '../BackendStatus';
import { useRetryWhileUnreachable } from '../useRetryWhileUnreachable';
import { DatasetCampaignsCard } from '../EntityDataset/DatasetCampaignsCard';
import { DependenciesCard } from '../EntityDataset/DependenciesCard';
import { LocationCard } from '../EntityDataset/LocationCard';
import { OwnershipCard } from '../EntityDataset/OwnershipCard';
import { LiveMigration } from '../LiveMigration/LiveMigration';
import { MigrationHistoryTable } from '../MigrationHistory/MigrationHistoryTable';

function locationOf(entity: Parameters<typeof getDatasetLocation>[0]) {
  try {
    return { location: getDatasetLocation(entity) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The latest migration is shown live while it runs, and after a failure (to retry). */
const needsAttention = (m?: Migration): m is Migration =>
  Boolean(
    m &&
      (!FINAL_MIGRATION_STATUSES.includes(m.status) || m.status === 'failed'),
  );

/**
 * How often the tab asks whether a migration started elsewhere (a campaign, another
 * tab, another person) while none is shown: signals say so at once where the app has
 * them; this covers an app without them, or a signal lost while disconnected.
 */
const ACTIVE_POLL_MS = 10_000;

/** The "Migrations" tab of a dataset: who owns and reads it, Migrate, live status, history. */
export const DatasetMigrationsContent = ({
  pollMs = ACTIVE_POLL_MS,
}: {
  /** How often to look for a migration started elsewhere while none runs. */
  pollMs?: number;
} = {}) => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(datasetMigrationsApiRef);
  const [refreshKey, setRefreshKey] = useState(0);
  const [plan, setPlan] = useState<Plan>();
  // The migration this tab just started: shown (and focused) at once, before the list
  // has been asked again.
  const [started, setStarted] = useState<Migration>();
  const [pollKey, setPollKey] = useState(0);
  const refresh = useCallback(() => setRefreshKey(k => k + 1), []);
  // A migration started or changed elsewhere (another tab, another person): the
  // signal names no dataset, so the list is asked again, through the permission check.
  const { lastSignal } = useSignal<MigrationListSignal>(
    MIGRATIONS_SIGNAL_CHANNEL,
  );
  useEffect(() => {
    if (lastSignal) refresh();
  }, [lastSignal, refresh]);
  const {
    value: listed,
    loading: isListing,
    error: latestError,
    retry: retryLatest,
  } = useAsyncRetry(
    async () => (await api.listMigrations({ entityRef, limit: 1 })).items[0],
    [api, entityRef, refreshKey, pollKey],
  );
  // Without the backend, Migrate and the actions wait for it, said once at the top.
  const isReconnecting = useRetryWhileUnreachable(latestError, retryLatest);
  const latest =
    started && (!listed || listed.createdAt < started.createdAt)
      ? started
      : listed;
  const onStarted = useCallback(
    (migration: Migration) => {
      setStarted(migration);
      refresh();
    },
    [refresh],
  );
  // Another latest migration than the list last said (found by polling): the history
  // and the campaigns card follow. Undefined until the list first answered.
  const seenId = useRef<string | null>();
  useEffect(() => {
    if (isListing) return;
    const id = listed?.id ?? null;
    if (seenId.current !== undefined && seenId.current !== id) refresh();
    seenId.current = id;
  }, [isListing, listed, refresh]);
  // The live view reports every status it sees; the Migrate button and the history
  // follow when it differs from what the list said (a ref, so no render loop).
  const listedStatus = useRef<MigrationStatus>();
  listedStatus.current = latest?.status;
  const onStatus = useCallback(
    (status: MigrationStatus) => {
      if (status !== listedStatus.current) refresh();
    },
    [refresh],
  );
  // Nothing live on screen: look for a migration started elsewhere now and then.
  const isActive = Boolean(
    latest && !FINAL_MIGRATION_STATUSES.includes(latest.status),
  );
  useInterval(() => setPollKey(k => k + 1), isActive ? null : pollMs);
  const { location, error } = locationOf(entity);
  if (error || !location) {
    return (
      <WarningPanel
        title={
          error
            ? "This dataset's location annotation is invalid"
            : 'This dataset has no location'
        }
        message={`${
          error ? `${error}. ` : ''
        }Set ${DATASET_LOCATION_ANNOTATION}: "<connection>:<schema>.<table>" in its catalog-info.yaml so it can be migrated.`}
      />
    );
  }
  const active = isActive ? latest : undefined;
  const shown = needsAttention(latest) ? latest : undefined;

  return (
    <BackendStatusProvider isReconnecting={isReconnecting}>
      <Grid container spacing={3}>
        {isReconnecting && (
          <Grid item xs={12}>
            <ReconnectingNotice />
          </Grid>
        )}
        <DatasetCampaignsCard
          refreshKey={refreshKey}
          onAnswered={refresh}
          // A row of the grid only when the dataset is in a campaign.
          wrap={card => (
            <Grid item xs={12}>
              {card}
            </Grid>
          )}
        />
        <Grid item xs={12} md={6}>
          <LocationCard
            location={location}
            activeMigration={active}
            onPlan={setPlan}
            onStarted={onStarted}
          />
        </Grid>
        <Grid item xs={12} md={6}>
          <OwnershipCard />
        </Grid>
        <Grid item xs={12}>
          <DependenciesCard compatibility={plan?.compatibility} />
        </Grid>
        {shown && (
          <Grid item xs={12}>
            <LiveMigration
              key={shown.id}
              id={shown.id}
              title={
                shown.status === 'failed'
                  ? 'Last migration failed'
                  : 'Current migration'
              }
              onStatus={onStatus}
              isFocused={shown.id === started?.id}
            />
          </Grid>
        )}
        <Grid item xs={12}>
          <MigrationHistoryTable
            title="Migration history"
            query={{ entityRef }}
            showDataset={false}
            refreshKey={refreshKey}
          />
        </Grid>
      </Grid>
    </BackendStatusProvider>
  );
};
