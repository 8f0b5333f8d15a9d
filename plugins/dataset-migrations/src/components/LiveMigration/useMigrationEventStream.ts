import { useApi, useApiHolder } from '@backstage/core-plugin-api';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import {
  FINAL_MIGRATION_STATUSES,
  Migration,
  MigrationEvent,
  MigrationEventSignal,
  migrationSignalChannel,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { useCallback, useEffect, useReducer, useState } from 'react';
import { datasetMigrationsApiRef } from '../../api';
import { isBackendUnreachable } from '../errorMessage';

export type MigrationStreamState = {
  migration?: Migration;
  events: MigrationEvent[];
  error?: Error;
  isReconnecting: boolean;
};

export type MigrationEventStreamOptions = {
  /** Milliseconds to wait before reconnect number `attempt` (0-based). */
  reconnectDelayMs?: (attempt: number) => number;
  /** How long events of a followed stream gather before one state update. */
  batchMs?: number;
  /**
   * With signals, how often the page asks anyway while the migration is not over:
   * signals are best-effort (one can be lost while the app reconnects its socket) and
   * a backend that went down sends none, so either shows within this time.
   */
  checkEveryMs?: number;
};

const RECONNECT_MS = [500, 1000, 2000, 5000, 10000];
const defaultReconnectDelay = (attempt: number) =>
  RECONNECT_MS[Math.min(attempt, RECONNECT_MS.length - 1)];

const isNewer = (next: Migration, current?: Migration) =>
  !current || current.id !== next.id || next.updatedAt >= current.updatedAt;

const isFinal = (migration?: Migration) =>
  migration !== undefined &&
  FINAL_MIGRATION_STATUSES.includes(migration.status);

/**
 * How the page hears of new events: `signalled` (a replay on each signal), or a
 * followed stream that is `open`, `reconnecting` or `closed` (the migration was over).
 */
type Connection = 'signalled' | 'open' | 'reconnecting' | 'closed';

type LiveState = {
  id: string;
  migration?: Migration;
  events: MigrationEvent[];
  /** The newest event shown: replays and reconnects start after it. */
  lastEventId?: number;
  error?: Error;
  connection: Connection;
};

/** Every action names its migration: answers for a page's earlier migration are dropped. */
type LiveAction =
  | { type: 'reset'; id: string }
  | { type: 'migration'; id: string; migration: Migration }
  | { type: 'events'; id: string; events: MigrationEvent[] }
  | { type: 'error'; id: string; error: Error }
  | { type: 'connection'; id: string; connection: Connection };

const initialState = (id: string): LiveState => ({
  id,
  events: [],
  connection: 'open',
});

export function liveMigrationReducer(
  state: LiveState,
  action: LiveAction,
): LiveState {
  if (action.type === 'reset') return initialState(action.id);
  if (action.id !== state.id) return state;
  switch (action.type) {
    case 'migration':
      return isNewer(action.migration, state.migration)
        ? { ...state, migration: action.migration, error: undefined }
        : state;
    case 'events': {
      // A replay or reconnect may repeat what was shown: keep each event once.
      const fresh = action.events.filter(
        e => state.lastEventId === undefined || e.id > state.lastEventId,
      );
      if (fresh.length === 0) return state;
      return {
        ...state,
        events: [...state.events, ...fresh],
        lastEventId: fresh[fresh.length - 1].id,
      };
    }
    case 'error':
      return { ...state, error: action.error };
    case 'connection':
      return { ...state, connection: action.connection };
    default:
      return state;
  }
}

/**
 * Follows one migration live, like the scaffolder's `useTaskEventStream`: loads it and
 * replays its events once, then, where the app has the signals plugin, fetches the
 * events after the last one seen each time the backend signals a new one (one request
 * per signal, and one every `checkEveryMs` while the migration is not over). Without signals it follows the event stream instead,
 * batching events and reconnecting with backoff from the last event id. Each batch
 * refreshes the migration, so steps and progress move. `accept` takes a migration an
 * action returned and follows again when it became active (retry).
 */
export function useMigrationEventStream(
  id: string,
  options: MigrationEventStreamOptions = {},
): MigrationStreamState & { accept: (migration: Migration) => void } {
  const api = useApi(datasetMigrationsApiRef);
  // What `useSignal` checks for `isSignalsAvailable`: subscribing here, in the effect
  // that owns the cursor, lets one place order replays and drop them on unmount.
  const signals = useApiHolder().get(signalApiRef);
  const {
    reconnectDelayMs = defaultReconnectDelay,
    batchMs = 100,
    checkEveryMs = 15_000,
  } = options;
  const [state, dispatch] = useReducer(liveMigrationReducer, id, initialState);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    // The cursor carries over when the same migration is followed again (retry).
    let after = state.id === id ? state.lastEventId : undefined;
    if (state.id !== id) dispatch({ type: 'reset', id });
    const controller = new AbortController();
    const isLive = () => !controller.signal.aborted;
    const showEvents = (events: MigrationEvent[]) => {
      if (events.length === 0) return;
      after = Math.max(after ?? 0, events[events.length - 1].id);
      dispatch({ type: 'events', id, events });
    };

    // Whether the last request got no answer at all: only then is it worth asking
    // again by itself (a refusal, 404 or 403, stands).
    let isUnreachable = false;
    // Whether the migration was over when last read: then nothing new can come.
    let isOver = false;
    const refresh = async () => {
      try {
        const { migration } = await api.getMigration(id);
        isUnreachable = false;
        isOver = isFinal(migration);
        if (isLive()) dispatch({ type: 'migration', id, migration });
        return migration;
      } catch (error) {
        isUnreachable = isBackendUnreachable(error);
        if (isLive()) dispatch({ type: 'error', id, error: error as Error });
        return undefined;
      }
    };
    const pause = (ms: number) => new Promise(r => setTimeout(r, ms));

    /** The events after the cursor, in one request that ends with them. */
    const replay = async () => {
      const events: MigrationEvent[] = [];
      await api.streamEvents(id, {
        lastEventId: after,
        follow: false,
        signal: controller.signal,
        onEvent: e => events.push(e),
      });
      if (!isLive()) return;
      showEvents(events);
      await refresh();
    };

    const followBySignals = (signalApi: SignalApi) => {
      dispatch({ type: 'connection', id, connection: 'signalled' });
      // Signals that arrive during a replay need one more replay after it, not one each.
      let running: Promise<void> | undefined;
      let isWanted = false;
      let failures = 0;
      const catchUp = () => {
        isWanted = true;
        running ??= (async () => {
          while (isWanted && isLive()) {
            isWanted = false;
            try {
              await replay();
              failures = 0;
            } catch (error) {
              // The next signal tries again from the same cursor; a backend that did
              // not answer sends none, so it is asked again after a backoff.
              if (isLive())
                dispatch({ type: 'error', id, error: error as Error });
              if (isBackendUnreachable(error)) {
                await pause(reconnectDelayMs(failures));
                failures += 1;
                isWanted = true;
              }
            }
          }
          running = undefined;
        })();
      };
      const subscription = signalApi.subscribe<MigrationEventSignal>(
        migrationSignalChannel(id),
        message => {
          if (after === undefined || message.eventId > after) catchUp();
        },
      );
      const check = setInterval(() => {
        if (!isOver) catchUp();
      }, checkEveryMs);
      controller.signal.addEventListener('abort', () => {
        subscription.unsubscribe();
        clearInterval(check);
      });
      catchUp();
    };

    const followStream = async () => {
      let pending: MigrationEvent[] = [];
      let flushTimer: ReturnType<typeof setTimeout> | undefined;
      const flush = () => {
        flushTimer = undefined;
        const batch = pending;
        pending = [];
        if (!isLive() || batch.length === 0) return;
        showEvents(batch);
        refresh();
      };
      controller.signal.addEventListener('abort', () => {
        if (flushTimer) clearTimeout(flushTimer);
      });
      const onEvent = (event: MigrationEvent) => {
        pending.push(event);
        flushTimer ??= setTimeout(flush, batchMs);
      };
      const lastSeen = () => pending[pending.length - 1]?.id ?? after;

      /** One connection; true when the migration is over or the view went away. */
      const streamOnce = async (): Promise<boolean> => {
        try {
          await api.streamEvents(id, {
            lastEventId: lastSeen(),
            signal: controller.signal,
            onEvent,
          });
          flush();
          // A failed refresh is no proof the migration is over: keep following.
          return !isLive() || isFinal(await refresh());
        } catch {
          // The connection dropped: reconnect from the last event seen.
          flush();
          return !isLive();
        }
      };

      dispatch({ type: 'connection', id, connection: 'open' });
      let attempt = 0;
      for (;;) {
        const before = lastSeen();
        if (await streamOnce()) break;
        if (lastSeen() !== before) attempt = 0;
        dispatch({ type: 'connection', id, connection: 'reconnecting' });
        const delay = reconnectDelayMs(attempt);
        attempt += 1;
        await new Promise(r => setTimeout(r, delay));
        if (!isLive()) break;
        dispatch({ type: 'connection', id, connection: 'open' });
      }
      if (isLive()) dispatch({ type: 'connection', id, connection: 'closed' });
    };

    (async () => {
      // Loaded first; while the backend does not answer, asked again with backoff.
      for (let attempt = 0; ; attempt++) {
        const migration = await refresh();
        if (!isLive()) return;
        if (migration) break;
        if (!isUnreachable) return;
        await pause(reconnectDelayMs(attempt));
      }
      if (signals) followBySignals(signals);
      else followStream();
    })();
    return () => controller.abort();
    // The cursor is read when following starts; options are read once on purpose.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, signals, id, generation, checkEveryMs]);

  const { connection } = state;
  const accept = useCallback(
    (migration: Migration) => {
      dispatch({ type: 'migration', id: migration.id, migration });
      // Signals keep coming after a retry; a stream that ended must start again.
      if (connection === 'closed' && !isFinal(migration)) {
        setGeneration(g => g + 1);
      }
    },
    [connection],
  );

  return {
    migration: state.migration,
    events: state.events,
    error: state.error,
    isReconnecting:
      state.connection === 'reconnecting' || isBackendUnreachable(state.error),
    accept,
  };
}
