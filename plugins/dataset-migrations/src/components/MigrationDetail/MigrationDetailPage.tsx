import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import { useParams } from 'react-router-dom';
import { rootRouteRef } from '../../routes';
import { LiveMigration } from '../LiveMigration/LiveMigration';

/** One migration's live view, reachable by URL (/migrations/:id). */
export const MigrationDetailPage = () => {
  const { id = '' } = useParams();
  const historyPath = useRouteRef(rootRouteRef)();
  return (
    <>
      <Box mb={2}>
        <Link to={historyPath}>← All migrations</Link>
      </Box>
      <LiveMigration id={id} title={`Migration ${id}`} />
    </>
  );
};
