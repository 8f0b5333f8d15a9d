import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type {
  MigrationEvent,
  StreamEventsOptions,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { screen, waitFor } from '@testing-library/react';
import { datasetMigrationsApiRef } from '../../api';
import { apiWith, migration } from '../../__testUtils__/fixtures';
import { LiveMigration } from './LiveMigration';

const event = (id: number, message: string): MigrationEvent => ({
  id,
  migrationId: migration().id,
  createdAt: `2026-11-23T10:00:0${id}.000Z`,
  type: 'step.log',
  step: 'copy',
  actor: null,
  message,
  data: null,
});

describe('LiveMigration', () => {
  it('shows events as they arrive and reconnects after a drop from the last event', async () => {
    const calls: Array<number | undefined> = [];
    let status: 'running' | 'completed' = 'running';
    const streamEvents = jest.fn(
      async (_id: string, options: StreamEventsOptions) => {
        calls.push(options.lastEventId);
        if (calls.length === 1) {
          options.onEvent(event(1, 'copy started'));
          throw new Error('connection dropped');
        }
        options.onEvent(event(2, 'copy succeeded'));
        status = 'completed';
      },
    );
    const getMigration = jest.fn(async () => ({
      migration: migration({
        status,
        steps: migration().steps.map(s =>
          s.name === 'copy'
            ? {
                ...s,
                status: 'running' as const,
                progress: { done: 40, total: 100, unit: 'rows' },
              }
            : s,
        ),
      }),
    }));
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [datasetMigrationsApiRef, apiWith({ streamEvents, getMigration })],
        ]}
      >
        <LiveMigration id={migration().id} />
      </TestApiProvider>,
    );
    expect(await screen.findByText(/copy started/)).toBeInTheDocument();
    expect(
      await screen.findByText(/copy succeeded/, undefined, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(calls).toEqual([undefined, 1]);
    expect(screen.getByText(/Rows copied: 40 \/ 100/)).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getAllByText('completed').length).toBeGreaterThan(0),
    );
  });

  it('offers the actions that apply to the status', async () => {
    const getMigration = jest.fn(async () => ({
      migration: migration({ status: 'awaiting_cleanup' }),
    }));
    const streamEvents = jest.fn(async () => undefined);
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [datasetMigrationsApiRef, apiWith({ streamEvents, getMigration })],
        ]}
      >
        <LiveMigration id={migration().id} />
      </TestApiProvider>,
    );
    expect(
      await screen.findByRole('button', { name: 'Finalize' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Roll back' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Cancel' }),
    ).not.toBeInTheDocument();
  });
});
