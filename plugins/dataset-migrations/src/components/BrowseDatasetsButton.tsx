import { useRouteRef } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import { Link as RouterLink } from 'react-router-dom';
import { catalogIndexRouteRef } from '../routes';

/** The catalog filtered to datasets: Resources of type dataset. */
const DATASET_FILTERS = 'filters[kind]=resource&filters[type]=dataset';

/**
 * The next step from an empty page: the catalog's datasets, where Migrate starts.
 * Nothing when the app has not bound the catalog route (a legacy app may not).
 */
export const BrowseDatasetsButton = () => {
  const catalogIndex = useRouteRef(catalogIndexRouteRef);
  if (!catalogIndex) return null;
  return (
    <Button
      variant="contained"
      color="primary"
      component={RouterLink}
      to={`${catalogIndex()}?${DATASET_FILTERS}`}
    >
      Browse datasets
    </Button>
  );
};
