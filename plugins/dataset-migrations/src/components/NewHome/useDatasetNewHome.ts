import { useApi } from '@backstage/core-plugin-api';
import type { DatasetNewHome } from '@internal/backstage-plugin-dataset-migrations-common';
import useAsync from 'react-use/esm/useAsync';
import { datasetMigrationsApiRef } from '../../api';

/**
 * Where completed migrations moved the dataset's table from `location`, asked again
 * whenever `refreshKey` changes (a migration of it finished). Undefined while loading,
 * when none moved it, and when the question failed: the page then reads as before.
 */
export function useDatasetNewHome(
  entityRef: string,
  location: string,
  refreshKey: unknown,
): DatasetNewHome | undefined {
  const api = useApi(datasetMigrationsApiRef);
  const { value } = useAsync(
    async () => (await api.getDatasetNewHome(entityRef, location)).newHome,
    [api, entityRef, location, refreshKey],
  );
  return value ?? undefined;
}
