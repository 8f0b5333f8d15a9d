import { useApi } from '@backstage/core-plugin-api';
import type { ConsumerReport } from '@internal/backstage-plugin-dataset-migrations-common';
import { useCallback, useEffect, useState } from 'react';
import { datasetMigrationsApiRef } from '../../api';
import { errorMessage } from '../errorMessage';

const RELOADS = 10;
const RELOAD_MS = 3000;

/**
 * A migration's consumer reports: loaded once, checked again on demand, and a single
 * report replaced when a pull request was opened for it.
 */
export function useConsumerReports(migrationId: string) {
  const api = useApi(datasetMigrationsApiRef);
  const [reports, setReports] = useState<ConsumerReport[]>();
  const [error, setError] = useState<string>();
  const [isChecking, setChecking] = useState(false);

  useEffect(() => {
    let isCurrent = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Just after cutover the backend is still checking: ask again while none is stored.
    const load = (triesLeft: number) =>
      api.listConsumers(migrationId).then(
        list => {
          if (!isCurrent) return;
          setReports(list.items);
          if (list.items.length === 0 && triesLeft > 0) {
            timer = setTimeout(() => load(triesLeft - 1), RELOAD_MS);
          }
        },
        e => isCurrent && setError(errorMessage(e)),
      );
    load(RELOADS);
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [api, migrationId]);

  const checkAgain = useCallback(async () => {
    setChecking(true);
    setError(undefined);
    try {
      setReports((await api.checkConsumers(migrationId)).items);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setChecking(false);
    }
  }, [api, migrationId]);

  const replace = useCallback((report: ConsumerReport) => {
    setReports(current =>
      current?.map(r => (r.entityRef === report.entityRef ? report : r)),
    );
  }, []);

  return { reports, error, isChecking, checkAgain, replace };
}

/**
 * Whether the report says its code still reads the old name. Consumers whose code
 * could not be read are not listed here; finalize's refusal names them.
 */
export const isOnOldName = (report: ConsumerReport) =>
  report.status !== 'repointed' && report.files.length > 0;
