import { InfoCard, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  DATASET_LOCATION_ANNOTATION,
  FINAL_MIGRATION_STATUSES,
  getDatasetLocation,
  MigrationStatus,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { datasetMigrationsApiRef } from '../../api';
import { DependenciesCard } from '../EntityDataset/DependenciesCard';
import { MigrateButton } from '../EntityDataset/MigrateButton';
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

/** The "Migrations" tab of a dataset: who owns and reads it, Migrate, live status, history. */
export const DatasetMigrationsContent = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(datasetMigrationsApiRef);
  const [refreshKey, setRefreshKey] = useState(0);
  const { value: latest } = useAsync(
    async () => (await api.listMigrations({ entityRef, limit: 1 })).items[0],
    [api, entityRef, refreshKey],
  );
  const onStatus = useCallback((status: MigrationStatus) => {
    if (FINAL_MIGRATION_STATUSES.includes(status)) setRefreshKey(k => k + 1);
  }, []);
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
  const active =
    latest && !FINAL_MIGRATION_STATUSES.includes(latest.status)
      ? latest
      : undefined;

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <InfoCard title="Location">
          <Typography paragraph>
            Connection <strong>{location.connection}</strong>
            {location.schema ? (
              <>
                , schema <strong>{location.schema}</strong>
              </>
            ) : null}
            , table <strong>{location.table}</strong>
          </Typography>
          <MigrateButton
            activeMigration={active}
            onStarted={() => setRefreshKey(k => k + 1)}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <OwnershipCard />
      </Grid>
      <Grid item xs={12}>
        <DependenciesCard />
      </Grid>
      {active && (
        <Grid item xs={12}>
          <LiveMigration
            key={active.id}
            id={active.id}
            title="Current migration"
            onStatus={onStatus}
          />
        </Grid>
      )}
      <Grid item xs={12}>
        <MigrationHistoryTable
          title="Migration history"
          query={{ entityRef }}
          showDataset={false}
          refreshKey={`${refreshKey}-${active?.status}`}
        />
      </Grid>
    </Grid>
  );
};
