import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  DATASET_LOCATION_ANNOTATION,
  DATASET_MOVED_BY_ANNOTATION,
  DatasetLocation,
  formatDatasetLocation,
  Migration,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Typography from '@material-ui/core/Typography';
import { MigrationLink } from '../MigrationLink';
import { AnnotationFix } from '../NewHome/AnnotationFix';
import { useDatasetNewHome } from '../NewHome/useDatasetNewHome';
import { MigrateButton } from './MigrateButton';
import { useDatasetTable } from './useDatasetTable';

const LocationText = ({ location }: { location: DatasetLocation }) => (
  <>
    Connection <strong>{location.connection}</strong>
    {location.schema ? (
      <>
        , schema <strong>{location.schema}</strong>
      </>
    ) : null}
    , table <strong>{location.table}</strong>
  </>
);

/**
 * Where the dataset's table lives, and the Migrate button that moves it. After a
 * completed migration moved the table, while the catalog still names the old one: the
 * new home, the annotation line to put in catalog-info.yaml, and Migrate disabled. A
 * table that is not on its connection and that no migration moved disables Migrate
 * too, saying what to fix; when the connection could not be asked, Migrate stays and a
 * note says so (the plan will tell).
 */
export const LocationCard = ({
  location,
  activeMigration,
  onPlan,
  onStarted,
}: {
  location: DatasetLocation;
  activeMigration?: Migration;
  onPlan: (plan: Plan) => void;
  onStarted: (migration: Migration) => void;
}) => {
  const { entity } = useEntity();
  const annotated = formatDatasetLocation(location);
  // Asked again when a migration of the dataset starts or ends.
  const entityRef = stringifyEntityRef(entity);
  const newHome = useDatasetNewHome(entityRef, annotated, activeMigration?.id);
  const table = useDatasetTable(entityRef, annotated, activeMigration?.id);
  const movedBy = entity.metadata.annotations?.[DATASET_MOVED_BY_ANNOTATION];

  if (newHome) {
    return (
      <InfoCard title="Location">
        <Typography paragraph role="status">
          The table <code>{annotated}</code> is no longer here:{' '}
          <MigrationLink id={newHome.migrationId}>its migration</MigrationLink>{' '}
          moved it, and it is now at <code>{newHome.location}</code>.
        </Typography>
        <AnnotationFix
          location={newHome.location}
          intro="The catalog still names the old table. Until it shows the new home, change this line in the dataset's catalog-info.yaml:"
        />
        <MigrateButton
          activeMigration={activeMigration}
          unavailableReason={`The table was moved by migration ${newHome.migrationId} to ${newHome.location}: migrate it from there once the catalog names it.`}
          onPlan={onPlan}
          onStarted={onStarted}
        />
      </InfoCard>
    );
  }
  return (
    <InfoCard title="Location">
      <Typography paragraph>
        <LocationText location={location} />
      </Typography>
      {movedBy && (
        <>
          <Typography variant="body2" paragraph>
            Moved here by{' '}
            <MigrationLink id={movedBy}>a migration</MigrationLink>; the catalog
            points this dataset at its new home.
          </Typography>
          <AnnotationFix
            location={annotated}
            intro="If the dataset's catalog-info.yaml still names the old table, put this line there:"
          />
        </>
      )}
      {table?.existence === 'unknown' && (
        <Typography variant="body2" paragraph color="textSecondary">
          Whether the table exists could not be checked: {table.reason}.
        </Typography>
      )}
      <Typography variant="body2" paragraph color="textSecondary">
        Migrate generates a plan from the table and the admins' rules, proves it
        on a sample and shows it to you; nothing runs until you confirm.
      </Typography>
      <MigrateButton
        activeMigration={activeMigration}
        unavailableReason={
          table?.existence === 'missing'
            ? `The table ${annotated} does not exist on its connection: fix the ${DATASET_LOCATION_ANNOTATION} annotation in catalog-info.yaml, or create the table.`
            : undefined
        }
        onPlan={onPlan}
        onStarted={onStarted}
      />
    </InfoCard>
  );
};
