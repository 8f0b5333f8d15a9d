import { useApi } from '@backstage/core-plugin-api';
import type { DatasetTable } from '@internal/backstage-plugin-dataset-migrations-common';
import useAsync from 'react-use/esm/useAsync';
import { datasetMigrationsApiRef } from '../../api';

/**
 * Whether the table `location` names exists now on its connection, asked again whenever
 * `refreshKey` changes (a migration of the dataset started or ended). Undefined while
 * loading and when the question failed: Migrate then stays as it was, and a plan still
 * says what is wrong.
 */
export function useDatasetTable(
  entityRef: string,
  location: string,
  refreshKey: unknown,
): DatasetTable | undefined {
  const api = useApi(datasetMigrationsApiRef);
  const { value } = useAsync(
    async () => (await api.getDatasetTable(entityRef, location)).table,
    [api, entityRef, location, refreshKey],
  );
  return value;
}
