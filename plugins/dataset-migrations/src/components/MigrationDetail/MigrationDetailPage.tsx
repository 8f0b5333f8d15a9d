import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { EntityDisplayName } from '@backstage/plugin-catalog-react';
import type { Migration } from '@internal/backstage-plugin-dataset-migrations-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useParams } from 'react-router-dom';
import { rootRouteRef } from '../../routes';
import { LiveMigration } from '../LiveMigration/LiveMigration';
import { MigrationNewHome } from '../NewHome/MigrationNewHome';
import { formatExactTime } from '../RelativeTime';

/** A migration is known by its dataset and when it started, never by its id. */
export const MigrationTitle = ({ migration }: { migration: Migration }) => (
  <>
    Migration of <EntityDisplayName entityRef={migration.entityRef} hideIcon />,{' '}
    {formatExactTime(new Date(migration.createdAt))}
  </>
);

/** One migration's live view, reachable by URL (/migrations/:id). */
export const MigrationDetailPage = () => {
  const { id = '' } = useParams();
  const historyPath = useRouteRef(rootRouteRef)();
  return (
    <>
      <Box mb={2}>
        <Link to={historyPath}>← All migrations</Link>
      </Box>
      <LiveMigration
        id={id}
        title={migration => (
          <>
            <MigrationTitle migration={migration} />
            <Typography component="div" variant="body1">
              <MigrationNewHome migration={migration} />
            </Typography>
          </>
        )}
      />
    </>
  );
};
