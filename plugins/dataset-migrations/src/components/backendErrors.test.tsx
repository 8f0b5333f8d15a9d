import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { DatasetMigrationsApi } from '@internal/backstage-plugin-dataset-migrations-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  dataset,
  migration,
  plan,
  uniqueDataset,
} from '../__testUtils__/fixtures';
import { controlledBackend, json } from '../__testUtils__/controlledBackend';
import { renderInPluginApp } from '../__testUtils__/renderInPluginApp';
import { DatasetMigrationsContent } from './DatasetMigrationsContent';
import { MigrateButton } from './EntityDataset/MigrateButton';
import { LiveMigration } from './LiveMigration/LiveMigration';

jest.setTimeout(20_000);

/**
 * The real client over a fetch the test controls: `answer` says what the "backend"
 * answers to a URL, or undefined while it is down (fetch rejects as browsers do).
 */
const clientOver = (
  answer: (url: string, init: RequestInit) => Response | undefined,
): DatasetMigrationsApi =>
  controlledBackend((url, init) => answer(url.href, init)).api;

const noRawFailure = () =>
  expect(document.body.textContent).not.toMatch(/Failed to fetch/);

describe('errors say why', () => {
  it("shows the backend's reason when starting is refused with 409, not a generic failure", async () => {
    const reason =
      'resource:default/dataset-1 already has an active migration 42 (running): cancel it or wait until it finishes';
    const api = clientOver((url, init) => {
      if (url.endsWith('/plans')) return json(200, { plan: plan() });
      if (url.endsWith('/migrations') && init?.method === 'POST')
        // The body Backstage's error handler sends.
        return json(409, {
          error: { name: 'ConflictError', message: reason },
          request: { method: 'POST', url: '/api/dm/migrations' },
          response: { statusCode: 409 },
        });
      return undefined;
    });
    renderInPluginApp(
      <EntityProvider entity={uniqueDataset()}>
        <MigrateButton onStarted={jest.fn()} />
      </EntityProvider>,
      { api },
    );
    const migrate = screen.getByRole('button', { name: 'Migrate' });
    await waitFor(() => expect(migrate).toBeEnabled());
    await userEvent.click(migrate);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Confirm and migrate' }),
    );
    const dialog = screen.getByRole('dialog');
    await waitFor(() =>
      expect(dialog).toHaveTextContent(
        `Could not start the migration: ${reason}`,
      ),
    );
  });

  it('says the backend cannot be reached when Migrate gets no answer, without the raw error', async () => {
    const api = clientOver(() => undefined);
    renderInPluginApp(
      <EntityProvider entity={uniqueDataset()}>
        <MigrateButton onStarted={jest.fn()} />
      </EntityProvider>,
      { api },
    );
    const migrate = screen.getByRole('button', { name: 'Migrate' });
    await waitFor(() => expect(migrate).toBeEnabled());
    await userEvent.click(migrate);
    expect(
      await screen.findByText(
        /Cannot reach the Dataset Migrations backend: check that it is running/,
      ),
    ).toBeInTheDocument();
    noRawFailure();
  });
});

describe('with the backend down', () => {
  it('the dataset tab says it is reconnecting, disables Migrate, and comes back by itself', async () => {
    let isUp = false;
    const api = clientOver(url =>
      isUp && url.includes('/migrations?')
        ? json(200, { items: [], nextCursor: null })
        : undefined,
    );
    renderInPluginApp(
      <EntityProvider entity={dataset}>
        <DatasetMigrationsContent />
      </EntityProvider>,
      { api },
    );
    const notice = await screen.findByRole('status', {
      name: 'Backend connection',
    });
    expect(notice).toHaveTextContent('Reconnecting…');
    expect(notice).toHaveTextContent(
      'Cannot reach the Dataset Migrations backend; retrying…',
    );
    expect(screen.getByRole('button', { name: 'Migrate' })).toBeDisabled();
    noRawFailure();

    isUp = true;
    await waitFor(
      () => expect(screen.queryByText(/retrying…/)).not.toBeInTheDocument(),
      { timeout: 8_000 },
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Migrate' })).toBeEnabled(),
    );
    noRawFailure();
  });

  it('a live migration whose stream drops disables its actions until the backend answers again', async () => {
    let isUp = false;
    const streamEvents = jest.fn(async () => {
      if (!isUp) throw new TypeError('Failed to fetch');
      await new Promise(() => {});
    });
    renderInPluginApp(
      <LiveMigration
        id={migration().id}
        streamOptions={{ reconnectDelayMs: () => 20, batchMs: 0 }}
      />,
      {
        api: {
          getMigration: async () => ({
            migration: migration({ status: 'awaiting_cleanup' }),
          }),
          streamEvents,
        },
      },
    );
    expect(
      await screen.findByRole('status', { name: 'Backend connection' }),
    ).toHaveTextContent(
      /Reconnecting….*Cannot reach the Dataset Migrations backend; retrying…/,
    );
    expect(screen.getByRole('button', { name: 'Finalize' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Roll back' })).toBeDisabled();
    noRawFailure();

    isUp = true;
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Finalize' })).toBeEnabled(),
    );
    expect(screen.queryByText(/retrying…/)).not.toBeInTheDocument();
  });

  it('a migration detail that cannot be loaded reconnects instead of failing, then shows it', async () => {
    let isUp = false;
    const api = clientOver(url => {
      if (!isUp) return undefined;
      if (url.endsWith(`/migrations/${migration().id}`))
        return json(200, { migration: migration({ status: 'rolled_back' }) });
      // The event log of a migration that is over: empty, then the stream ends.
      return new Response('', {
        status: 200,
        headers: { 'content-type': 'text/event-stream' },
      });
    });
    renderInPluginApp(
      <LiveMigration
        id={migration().id}
        streamOptions={{ reconnectDelayMs: () => 20, batchMs: 0 }}
      />,
      { api },
    );
    expect(
      await screen.findByRole('status', { name: 'Backend connection' }),
    ).toHaveTextContent(
      /Reconnecting….*Cannot reach the Dataset Migrations backend; retrying…/,
    );
    noRawFailure();
    isUp = true;
    expect(await screen.findByText('rolled back')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByText(/retrying…/)).not.toBeInTheDocument(),
    );
  });
});
