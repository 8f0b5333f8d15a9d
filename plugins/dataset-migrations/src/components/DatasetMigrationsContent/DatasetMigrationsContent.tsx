import { InfoCard, WarningPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  DATASET_LOCATION_ANNOTATION,
  getDatasetLocation,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Typography from '@material-ui/core/Typography';

/** The "Migrations" tab of a dataset: where it lives today. */
export const DatasetMigrationsContent = () => {
  const { entity } = useEntity();
  let location;
  try {
    location = getDatasetLocation(entity);
  } catch (e) {
    return (
      <WarningPanel
        title="This dataset's location annotation is invalid"
        message={`${
          (e as Error).message
        }. Fix ${DATASET_LOCATION_ANNOTATION} in the entity's catalog-info.yaml.`}
      />
    );
  }
  if (!location) {
    return (
      <WarningPanel
        title="This dataset has no location"
        message={`Add the annotation ${DATASET_LOCATION_ANNOTATION}: "<connection>:<schema>.<table>" to its catalog-info.yaml so it can be migrated.`}
      />
    );
  }
  return (
    <InfoCard title="Location">
      <Typography variant="body1">
        Connection <strong>{location.connection}</strong>
        {location.schema ? (
          <>
            , schema <strong>{location.schema}</strong>
          </>
        ) : null}
        , table <strong>{location.table}</strong>
      </Typography>
    </InfoCard>
  );
};
