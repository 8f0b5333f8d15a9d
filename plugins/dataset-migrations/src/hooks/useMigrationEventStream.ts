import { useApi } from '@backstage/core-plugin-api';
import {
  FINAL_MIGRATION_STATUSES,
  Migration,
  MigrationEvent,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { useEffect, useRef, useState } from 'react';
import { datasetMigrationsApiRef } from '../api';

export type MigrationStreamState = {
  migration?: Migration;
  events: MigrationEvent[];
  error?: Error;
  isReconnecting: boolean;
};

const RECONNECT_MS = [500, 1000, 2000, 5000];

/**
 * Loads a migration once, then follows its events over server-sent events (like the
 * scaffolder's task stream): updates are batched per animation-free tick, the
 * migration is refreshed when events arrive, and a dropped stream reconnects with
 * backoff from the last event it saw.
 */
export function useMigrationEventStream(id: string): MigrationStreamState {
  const api = useApi(datasetMigrationsApiRef);
  const [state, setState] = useState<MigrationStreamState>({
    events: [],
    isReconnecting: false,
  });
  const lastEventId = useRef<number | undefined>(undefined);

  useEffect(() => {
    const controller = new AbortController();
    let pending: MigrationEvent[] = [];
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    lastEventId.current = undefined;
    setState({ events: [], isReconnecting: false });

    const refresh = async () => {
      try {
        const { migration } = await api.getMigration(id);
        if (!controller.signal.aborted) setState(s => ({ ...s, migration }));
        return migration;
      } catch (error) {
        if (!controller.signal.aborted)
          setState(s => ({ ...s, error: error as Error }));
        return undefined;
      }
    };

    const flush = () => {
      flushTimer = undefined;
      const batch = pending;
      pending = [];
      setState(s => ({ ...s, events: [...s.events, ...batch] }));
      refresh();
    };

    const onEvent = (event: MigrationEvent) => {
      lastEventId.current = event.id;
      pending.push(event);
      flushTimer ??= setTimeout(flush, 100);
    };

    let attempt = 0;
    /** One stream; true when the migration is over and nothing more will come. */
    const streamOnce = async (): Promise<boolean> => {
      const seenBefore = lastEventId.current;
      try {
        await api.streamEvents(id, {
          lastEventId: lastEventId.current,
          signal: controller.signal,
          onEvent,
        });
        const migration = await refresh();
        return (
          !migration || FINAL_MIGRATION_STATUSES.includes(migration.status)
        );
      } catch {
        // A dropped connection: reconnect from the last event (below).
        return controller.signal.aborted;
      } finally {
        if (lastEventId.current !== seenBefore) attempt = 0;
      }
    };

    const follow = async () => {
      while (!controller.signal.aborted && !(await streamOnce())) {
        setState(s => ({ ...s, isReconnecting: true }));
        const delay = RECONNECT_MS[Math.min(attempt, RECONNECT_MS.length - 1)];
        attempt += 1;
        await new Promise(r => setTimeout(r, delay));
        if (!controller.signal.aborted)
          setState(s => ({ ...s, isReconnecting: false }));
      }
    };

    refresh().then(migration => {
      if (migration) follow();
    });
    return () => {
      controller.abort();
      if (flushTimer) clearTimeout(flushTimer);
    };
  }, [api, id]);

  return state;
}
