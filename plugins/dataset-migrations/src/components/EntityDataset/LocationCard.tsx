import { InfoCard } from '@backstage/core-components';
import type {
  DatasetLocation,
  Migration,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import Typography from '@material-ui/core/Typography';
import { MigrateButton } from './MigrateButton';

/** Where the dataset's table lives, and the Migrate button that moves it. */
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
}) => (
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
    <Typography variant="body2" paragraph color="textSecondary">
      Migrate generates a plan from the table and the admins' rules, proves it
      on a sample and shows it to you; nothing runs until you confirm.
    </Typography>
    <MigrateButton
      activeMigration={activeMigration}
      onPlan={onPlan}
      onStarted={onStarted}
    />
  </InfoCard>
);
