import type {
  Migration,
  MigrationEvent,
  StreamEventsOptions,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { event, migration } from '../../__testUtils__/fixtures';
import {
  PluginAppOptions,
  renderInPluginApp,
} from '../../__testUtils__/renderInPluginApp';
import { controlledSignals } from '../../__testUtils__/signals';
import { LiveMigration } from './LiveMigration';

/** Reconnects at once: the tests check what is asked for, never how long it waits. */
const streamOptions = { reconnectDelayMs: () => 0, batchMs: 0 };

const renderLive = (options: PluginAppOptions) =>
  renderInPluginApp(
    <LiveMigration id={migration().id} streamOptions={streamOptions} />,
    options,
  );

/** The event log shows exactly these messages, each once, in this order. */
async function expectLogLines(messages: string[]) {
  const log = await screen.findByRole('region', { name: 'event log' });
  await waitFor(() => {
    const text = log.textContent ?? '';
    const found = messages.map(m => text.indexOf(`] ${m}`));
    expect(found.every(at => at >= 0)).toBe(true);
    expect([...found].sort((a, b) => a - b)).toEqual(found);
    for (const m of messages) {
      expect(text.split(`] ${m}`)).toHaveLength(2);
    }
  });
}

const copying = (done: number, overrides: Partial<Migration> = {}) =>
  migration({
    ...overrides,
    steps: migration().steps.map(s => {
      if (s.name === 'preflight' || s.name === 'provision')
        return { ...s, status: 'succeeded' as const, attempts: 1 };
      if (s.name === 'copy')
        return {
          ...s,
          status: 'running' as const,
          attempts: 2,
          progress: { done, total: 100, unit: 'rows' },
        };
      return s;
    }),
  });

/** A stream the test drives: each connection is one entry of `connections`. */
function controlledStream() {
  const connections: Array<{
    options: StreamEventsOptions;
    drop: () => void;
    end: () => void;
  }> = [];
  const streamEvents = jest.fn(
    (_id: string, options: StreamEventsOptions) =>
      new Promise<void>((resolve, reject) => {
        connections.push({
          options,
          drop: () => reject(new Error('network error')),
          end: resolve,
        });
      }),
  );
  return { streamEvents, connections };
}

/** The backend's event log: every request replays what is after its cursor and ends. */
function replayingLog(events: MigrationEvent[]) {
  const streamEvents = jest.fn(
    async (_id: string, options: StreamEventsOptions) => {
      for (const e of events) {
        if (options.lastEventId === undefined || e.id > options.lastEventId)
          options.onEvent(e);
      }
    },
  );
  return { streamEvents, append: (e: MigrationEvent) => events.push(e) };
}

describe('LiveMigration with signals', () => {
  const channel = `dataset-migrations:migration:${migration().id}`;

  it('replays the log once, then fetches the events after the last one on each signal', async () => {
    const { signals, emit, subscribers } = controlledSignals();
    const log = replayingLog([event(1, 'copy started'), event(2, 'batch 1')]);
    let current = copying(10);
    const getMigration = jest.fn(async () => ({ migration: current }));
    const { unmount } = renderLive({
      api: { streamEvents: log.streamEvents, getMigration },
      signals,
    });

    await expectLogLines(['copy started', 'batch 1']);
    // Loaded, then refreshed after the replay.
    await waitFor(() => expect(getMigration).toHaveBeenCalledTimes(2));
    expect(log.streamEvents).toHaveBeenCalledTimes(1);
    expect(log.streamEvents.mock.calls[0][1]).toMatchObject({
      follow: false,
      lastEventId: undefined,
    });
    expect(subscribers(channel)).toBe(1);

    current = copying(60, { updatedAt: '2026-11-23T10:00:09.000Z' });
    log.append(event(3, 'batch 2'));
    await act(async () =>
      emit(channel, { migrationId: migration().id, eventId: 3 }),
    );
    expect(await screen.findByText(/batch 2/)).toBeInTheDocument();
    expect(
      await screen.findByText(/Rows copied: 60 \/ 100/),
    ).toBeInTheDocument();
    expect(log.streamEvents).toHaveBeenCalledTimes(2);
    expect(log.streamEvents.mock.calls[1][1]).toMatchObject({
      follow: false,
      lastEventId: 2,
    });

    // A signal for an event already shown asks for nothing.
    await act(async () =>
      emit(channel, { migrationId: migration().id, eventId: 3 }),
    );
    expect(log.streamEvents).toHaveBeenCalledTimes(2);
    expect(screen.getAllByText(/batch 2/)).toHaveLength(1);

    unmount();
    expect(subscribers(channel)).toBe(0);
  });

  it('asks anyway every checkEveryMs: a lost signal shows, and so does a backend that went down', async () => {
    const { signals } = controlledSignals();
    const log = replayingLog([event(1, 'copy started')]);
    let isUp = true;
    const getMigration = jest.fn(async () => {
      if (!isUp) throw new TypeError('Failed to fetch');
      return { migration: copying(10) };
    });
    const streamEvents = jest.fn(
      async (migrationId: string, options: StreamEventsOptions) => {
        if (!isUp) throw new TypeError('Failed to fetch');
        return log.streamEvents(migrationId, options);
      },
    );
    renderInPluginApp(
      <LiveMigration
        id={migration().id}
        streamOptions={{ ...streamOptions, checkEveryMs: 50 }}
      />,
      { api: { streamEvents, getMigration }, signals },
    );
    await expectLogLines(['copy started']);

    // An event whose signal never came shows all the same.
    log.append(event(2, 'batch 1'));
    await expectLogLines(['copy started', 'batch 1']);

    // No signal says the backend went down; the next check does.
    isUp = false;
    expect(
      await screen.findByRole('status', { name: 'Backend connection' }),
    ).toHaveTextContent('Reconnecting…');
    expect(document.body.textContent).not.toMatch(/Failed to fetch/);
    isUp = true;
    await waitFor(() =>
      expect(
        screen.queryByRole('status', { name: 'Backend connection' }),
      ).not.toBeInTheDocument(),
    );
  });

  it('follows the event stream when the app has no signals', async () => {
    const { streamEvents, connections } = controlledStream();
    const getMigration = jest.fn(async () => ({ migration: copying(10) }));
    renderLive({ api: { streamEvents, getMigration } });

    await waitFor(() => expect(connections).toHaveLength(1));
    expect(connections[0].options.follow).toBeUndefined();
    connections[0].options.onEvent(event(1, 'copied batch 1'));
    expect(await screen.findByText(/copied batch 1/)).toBeInTheDocument();
  });
});

describe('LiveMigration', () => {
  it('adds events to the log as they arrive and refreshes steps and progress', async () => {
    const { streamEvents, connections } = controlledStream();
    let current = copying(10);
    const getMigration = jest.fn(async () => ({ migration: current }));
    renderLive({ api: { streamEvents, getMigration } });

    expect(await screen.findByText('Waiting for events…')).toBeInTheDocument();
    await waitFor(() => expect(connections).toHaveLength(1));
    expect(connections[0].options.lastEventId).toBeUndefined();
    expect(screen.getByText(/Rows copied: 10 \/ 100/)).toBeInTheDocument();
    expect(
      screen.getByLabelText('copy: running · attempt 2'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('provision: succeeded')).toBeInTheDocument();

    current = copying(60, { updatedAt: '2026-11-23T10:00:09.000Z' });
    connections[0].options.onEvent(event(1, 'copied batch 1'));
    connections[0].options.onEvent(event(2, 'copied batch 2'));

    await expectLogLines(['copied batch 1', 'copied batch 2']);
    expect(
      await screen.findByText(/Rows copied: 60 \/ 100/),
    ).toBeInTheDocument();
  });

  it('reconnects after a dropped connection from the last event it saw', async () => {
    const { streamEvents, connections } = controlledStream();
    let current = copying(10);
    const getMigration = jest.fn(async () => ({ migration: current }));
    renderLive({ api: { streamEvents, getMigration } });
    await waitFor(() => expect(connections).toHaveLength(1));

    connections[0].options.onEvent(event(7, 'copy started'));
    connections[0].options.onEvent(event(8, 'copied batch 1'));
    connections[0].drop();

    await waitFor(() => expect(connections).toHaveLength(2));
    expect(connections[1].options.lastEventId).toBe(8);
    // A replayed event is not shown twice.
    connections[1].options.onEvent(event(8, 'copied batch 1'));
    connections[1].options.onEvent(event(9, 'copy succeeded'));
    expect(await screen.findByText(/copy succeeded/)).toBeInTheDocument();
    expect(screen.getAllByText(/copied batch 1/)).toHaveLength(1);

    connections[1].drop();
    await waitFor(() => expect(connections).toHaveLength(3));
    expect(connections[2].options.lastEventId).toBe(9);

    // The stream ends when the migration is over: no further connection.
    current = migration({
      status: 'completed',
      updatedAt: '2026-11-23T11:00:00.000Z',
    });
    connections[2].end();
    expect((await screen.findAllByText('completed')).length).toBeGreaterThan(0);
    expect(streamEvents).toHaveBeenCalledTimes(3);
  });

  it('offers the actions that apply to the status', async () => {
    renderLive({
      api: {
        getMigration: async () => ({
          migration: migration({ status: 'awaiting_cleanup' }),
        }),
        streamEvents: async () => undefined,
      },
    });
    expect(
      await screen.findByRole('button', { name: 'Finalize' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Roll back' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Cancel' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Retry' }),
    ).not.toBeInTheDocument();
  });

  it('follows the migration again after Retry, from the last event seen', async () => {
    const { streamEvents, connections } = controlledStream();
    const failed = migration({
      status: 'failed',
      error: 'verify found 3 differing rows',
    });
    const getMigration = jest.fn(async () => ({ migration: failed }));
    const actOnMigration = jest.fn(async () => ({
      migration: migration({
        status: 'queued',
        updatedAt: '2026-11-23T12:00:00.000Z',
      }),
    }));
    renderLive({ api: { streamEvents, getMigration, actOnMigration } });
    await waitFor(() => expect(connections).toHaveLength(1));
    connections[0].options.onEvent(event(4, 'verify failed'));
    connections[0].end();
    expect(
      await screen.findByText('verify found 3 differing rows'),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', { name: 'Retry' }),
    );
    expect(actOnMigration).toHaveBeenCalledWith(migration().id, 'retry');
    await waitFor(() => expect(connections).toHaveLength(2));
    expect(connections[1].options.lastEventId).toBe(4);
  });

  it('tells what went wrong when the migration cannot be loaded', async () => {
    renderLive({
      api: {
        getMigration: async () => {
          throw new Error('Migration 1111 does not exist');
        },
      },
    });
    expect(
      (await screen.findAllByText(/Migration 1111 does not exist/)).length,
    ).toBeGreaterThan(0);
  });
});
