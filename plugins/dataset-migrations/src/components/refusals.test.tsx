import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  controlledBackend,
  json,
  refusal,
} from '../__testUtils__/controlledBackend';
import { plan, uniqueDataset } from '../__testUtils__/fixtures';
import { renderInPluginApp } from '../__testUtils__/renderInPluginApp';
import { MigrateButton } from './EntityDataset/MigrateButton';

jest.setTimeout(20_000);

const reason =
  'resource:default/dataset-1 already has an active migration 42 (running): cancel it or wait until it finishes';

/** Migrate, then Confirm, over the real client; the start is refused with `refused`. */
async function startRefusedWith(refused: () => Response) {
  const { api } = controlledBackend((url, init) => {
    if (url.pathname.endsWith('/plans')) return json(200, { plan: plan() });
    if (url.pathname.endsWith('/migrations') && init.method === 'POST')
      return refused();
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
  const heading = await within(screen.getByRole('dialog')).findByText(
    /Could not start the migration/,
  );
  return heading.closest<HTMLElement>('[role="alert"]')!;
}

// The collapsed details count too: a person may open them.
const noRawRefusal = () =>
  expect(document.body.textContent).not.toMatch(/Request failed|ConflictError/);

describe('a refused start (409)', () => {
  it("reads as the backend's reason and what to do, with nothing raw even in the details", async () => {
    const alert = await startRefusedWith(() =>
      refusal(409, 'ConflictError', reason, {
        method: 'POST',
        url: '/api/dm/migrations',
      }),
    );
    expect(alert).toHaveTextContent(`Could not start the migration: ${reason}`);
    expect(alert).toHaveTextContent(
      'It changed meanwhile: reload the page to see where it stands now',
    );
    noRawRefusal();
  });

  it("keeps only the backend's words when its answer is not Backstage's error body", async () => {
    // A plain-text 409 (a proxy's, or a route answering by hand): Backstage's client
    // words it "Request failed with status 409 Conflict, <body>".
    const alert = await startRefusedWith(
      () =>
        new Response(reason, {
          status: 409,
          statusText: 'Conflict',
          headers: { 'content-type': 'text/plain' },
        }),
    );
    expect(alert).toHaveTextContent(`Could not start the migration: ${reason}`);
    noRawRefusal();
  });

  it('says the status without a reason when the 409 has no body a person can read', async () => {
    const alert = await startRefusedWith(
      () =>
        new Response('<html><body>409</body></html>', {
          status: 409,
          statusText: 'Conflict',
          headers: { 'content-type': 'text/html' },
        }),
    );
    expect(alert).toHaveTextContent(
      'Could not start the migration: the backend answered 409 Conflict without a reason',
    );
    expect(alert).toHaveTextContent('reload the page');
    noRawRefusal();
  });
});
