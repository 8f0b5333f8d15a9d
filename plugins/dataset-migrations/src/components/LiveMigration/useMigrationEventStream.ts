import { useApi } from '@backstage/core-plugin-api';
import {
  FINAL_MIGRATION_STATUSES,
  Migration,
  MigrationEvent,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { datasetMigrationsApiRef } from '../../api';

export type MigrationStreamState = {
  migration?: Migration;
  events: MigrationEvent[];
  error?: Error;
  isReconnecting: boolean;
};

export type MigrationEventStreamOptions = {
  /** Milliseconds to wait before reconnect number `attempt` (0-based). */
  reconnectDelayMs?: (attempt: number) => number;
  /** How long events gather before one state update (and one migration refresh). */
  batchMs?: number;
};

const RECONNECT_MS = [500, 1000, 2000, 5000, 10000];
const defaultReconnectDelay = (attempt: number) =>
  RECONNECT_MS[Math.min(attempt, RECONNECT_MS.length - 1)];

const isNewer = (next: Migration, current?: Migration) =>
  !current || current.id !== next.id || next.updatedAt >= current.updatedAt;

/**
 * Follows one migration live, like the scaffolder's `useTaskEventStream`: loads it
 * once, streams its events from the last one seen, batches them into one update (and
 * one refresh of the migration, so steps and progress move), and when the connection
 * drops reconnects with backoff from the last event id. `accept` takes a migration an
 * action returned and resumes following when it became active again (retry).
 */
export function useMigrationEventStream(
  id: string,
  options: MigrationEventStreamOptions = {},
): MigrationStreamState & { accept: (migration: Migration) => void } {
  const api = useApi(datasetMigrationsApiRef);
  const { reconnectDelayMs = defaultReconnectDelay, batchMs = 100 } = options;
  const [state, setState] = useState<MigrationStreamState>({
    events: [],
    isReconnecting: false,
  });
  // Survives restarts of the stream for the same migration, so nothing is replayed.
  const seen = useRef<{ id: string; lastEventId?: number }>({ id });
  const [generation, setGeneration] = useState(0);
  // The stream currently following, so `accept` knows whether one must start.
  const following = useRef<AbortController>();

  useEffect(() => {
    if (seen.current.id !== id) {
      seen.current = { id };
      setState({ events: [], isReconnecting: false });
    }
    const controller = new AbortController();
    const isLive = () => !controller.signal.aborted;
    let pending: MigrationEvent[] = [];
    let flushTimer: ReturnType<typeof setTimeout> | undefined;

    const setMigration = (migration: Migration) =>
      setState(s =>
        isNewer(migration, s.migration)
          ? { ...s, migration, error: undefined }
          : s,
      );

    const refresh = async () => {
      try {
        const { migration } = await api.getMigration(id);
        if (isLive()) setMigration(migration);
        return migration;
      } catch (error) {
        if (isLive()) setState(s => ({ ...s, error: error as Error }));
        return undefined;
      }
    };

    const flush = () => {
      flushTimer = undefined;
      const batch = pending;
      pending = [];
      if (!isLive() || batch.length === 0) return;
      setState(s => ({ ...s, events: [...s.events, ...batch] }));
      refresh();
    };

    const onEvent = (event: MigrationEvent) => {
      const last = seen.current.lastEventId;
      if (last !== undefined && event.id <= last) return;
      seen.current.lastEventId = event.id;
      pending.push(event);
      flushTimer ??= setTimeout(flush, batchMs);
    };

    /** One connection; true when the migration is over or the view went away. */
    const streamOnce = async (): Promise<boolean> => {
      try {
        await api.streamEvents(id, {
          lastEventId: seen.current.lastEventId,
          signal: controller.signal,
          onEvent,
        });
        flush();
        const migration = await refresh();
        // A failed refresh is no proof the migration is over: keep following.
        return (
          !isLive() ||
          (migration !== undefined &&
            FINAL_MIGRATION_STATUSES.includes(migration.status))
        );
      } catch {
        // The connection dropped: the caller reconnects from the last event seen.
        flush();
        return !isLive();
      }
    };

    const follow = async () => {
      following.current = controller;
      let attempt = 0;
      for (;;) {
        const before = seen.current.lastEventId;
        if (await streamOnce()) break;
        if (seen.current.lastEventId !== before) attempt = 0;
        setState(s => ({ ...s, isReconnecting: true }));
        const delay = reconnectDelayMs(attempt);
        attempt += 1;
        await new Promise(r => setTimeout(r, delay));
        if (!isLive()) break;
        setState(s => ({ ...s, isReconnecting: false }));
      }
      if (following.current === controller) following.current = undefined;
      if (isLive()) setState(s => ({ ...s, isReconnecting: false }));
    };

    refresh().then(migration => {
      if (migration && isLive()) follow();
    });
    return () => {
      controller.abort();
      if (following.current === controller) following.current = undefined;
      if (flushTimer) clearTimeout(flushTimer);
    };
    // reconnectDelayMs and batchMs are read once per stream on purpose.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, id, generation]);

  const accept = useCallback((migration: Migration) => {
    setState(s => (isNewer(migration, s.migration) ? { ...s, migration } : s));
    if (
      !following.current &&
      !FINAL_MIGRATION_STATUSES.includes(migration.status)
    ) {
      setGeneration(g => g + 1);
    }
  }, []);

  return { ...state, accept };
}
