import { EntityProvider } from '@backstage/plugin-catalog-react';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ada,
  dataPlatform,
  dataset,
  grace,
  migration,
  plan,
  uniqueDataset,
} from '../../__testUtils__/fixtures';
import {
  PluginAppOptions,
  renderInPluginApp,
} from '../../__testUtils__/renderInPluginApp';
import { controlledSignals } from '../../__testUtils__/signals';
import { DatasetMigrationsContent } from './DatasetMigrationsContent';

function renderTab(
  entity = dataset,
  options: PluginAppOptions = {},
  pollMs?: number,
) {
  return renderInPluginApp(
    <EntityProvider entity={entity}>
      <DatasetMigrationsContent pollMs={pollMs} />
    </EntityProvider>,
    { entities: [dataPlatform, ada, grace], ...options },
  );
}

describe('DatasetMigrationsContent', () => {
  it('shows the owner group and its members with their contacts', async () => {
    renderTab();
    const contacts = await screen.findByRole('list', {
      name: 'owner contacts',
    });
    expect(within(contacts).getByText('Ada Lovelace')).toBeInTheDocument();
    expect(within(contacts).getByText('ada@example.com')).toHaveAttribute(
      'href',
      'mailto:ada@example.com',
    );
    // A member of another group is no contact for this dataset.
    expect(screen.queryByText('Grace Hopper')).not.toBeInTheDocument();
    const owners = screen.getByRole('list', { name: 'owners' });
    await waitFor(() => expect(owners).toHaveTextContent('Data Platform'));
    expect(
      within(owners).getByText('data-platform@example.com'),
    ).toHaveAttribute('href', 'mailto:data-platform@example.com');
  });

  it('shows upstream datasets and downstream consumers as catalog links, and how consumers are protected', async () => {
    renderTab();
    const card = (await screen.findByText('Dependencies')).closest(
      '.MuiCard-root',
    ) as HTMLElement;
    expect(within(card).getByText('Upstream (1)')).toBeInTheDocument();
    expect(
      within(card).getByText('Downstream consumers (1)'),
    ).toBeInTheDocument();
    expect(within(card).getByRole('link', { name: /regions/ })).toHaveAttribute(
      'href',
      '/catalog/default/resource/regions',
    );
    expect(
      within(card).getByRole('link', { name: /billing-service/ }),
    ).toHaveAttribute('href', '/catalog/default/component/billing-service');
    expect(
      within(card).getByLabelText('how consumers are protected'),
    ).toHaveTextContent('a compatibility view there presents the old columns');
  });

  it('tells consumers exactly how they are protected once a plan was generated', async () => {
    renderTab(uniqueDataset(), {
      api: {
        createPlan: async () => ({
          plan: plan({ compatibility: 'frozen-source' }),
        }),
      },
    });
    const migrate = await screen.findByRole('button', { name: 'Migrate' });
    await waitFor(() => expect(migrate).toBeEnabled());
    await userEvent.click(migrate);
    await screen.findByText('Review the migration plan');
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() =>
      expect(
        screen.queryByText('Review the migration plan'),
      ).not.toBeInTheDocument(),
    );
    expect(
      screen.getByLabelText('how consumers are protected'),
    ).toHaveTextContent(
      'These consumers must repoint before an owner finalizes: billing-service',
    );
  });

  it("shows the dataset's history with a link to each run", async () => {
    const listMigrations = jest.fn(async () => ({
      items: [
        migration({
          status: 'completed',
          id: '33333333-3333-4333-8333-333333333333',
          createdBy: 'user:default/ada',
        }),
      ],
      nextCursor: null,
    }));
    renderTab(dataset, { api: { listMigrations } });
    // Who by display name, linked to the person; when relative, exact on hover.
    const who = await screen.findByRole('cell', { name: 'Ada Lovelace' });
    expect(within(who).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/user/ada',
    );
    expect(screen.queryByText('user:default/ada')).not.toBeInTheDocument();
    const when = screen.getByText(/ ago$/);
    expect(when.tagName).toBe('TIME');
    expect(when.getAttribute('title')).toMatch(/2026/);
    expect(screen.getByRole('link', { name: 'Open' })).toHaveAttribute(
      'href',
      '/dataset-migrations/migrations/33333333-3333-4333-8333-333333333333',
    );
    expect(listMigrations).toHaveBeenCalledWith({
      entityRef: 'resource:default/customer-accounts',
      limit: 1,
    });
    expect(listMigrations).toHaveBeenCalledWith({
      entityRef: 'resource:default/customer-accounts',
      limit: 20,
      cursor: undefined,
    });
    // The latest run is final: no live view, Migrate is open.
    expect(screen.queryByText('Current migration')).not.toBeInTheDocument();
  });

  it('follows the active migration live and blocks a second one', async () => {
    const active = migration({ status: 'running' });
    renderTab(uniqueDataset(), {
      api: {
        listMigrations: async () => ({ items: [active], nextCursor: null }),
        getMigration: async () => ({ migration: active }),
        streamEvents: () => new Promise(() => {}),
      },
    });
    expect(await screen.findByText('Current migration')).toBeInTheDocument();
    expect(
      await screen.findByText(/A migration of this dataset is running/),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Migrate' })).toBeDisabled();
  });

  it('shows a migration started elsewhere when the list is signalled', async () => {
    const { signals, emit } = controlledSignals();
    const active = migration({ status: 'running' });
    let items: ReturnType<typeof migration>[] = [];
    renderTab(uniqueDataset(), {
      signals,
      api: {
        listMigrations: async () => ({ items, nextCursor: null }),
        getMigration: async () => ({ migration: active }),
        streamEvents: async () => undefined,
      },
    });
    const migrate = await screen.findByRole('button', { name: 'Migrate' });
    await waitFor(() => expect(migrate).toBeEnabled());
    expect(screen.queryByText('Current migration')).not.toBeInTheDocument();

    items = [active];
    await act(async () =>
      emit('dataset-migrations:migrations', { migrationId: active.id }),
    );
    expect(await screen.findByText('Current migration')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Migrate' })).toBeDisabled(),
    );
  });

  it('closes the review as soon as Confirm is answered, and moves focus to the live card saying the current step', async () => {
    const queued = migration({ status: 'queued' });
    renderTab(uniqueDataset(), {
      api: {
        createPlan: async () => ({ plan: plan() }),
        startMigration: async () => ({ migration: queued }),
        // The list has not caught up yet: the tab shows what Confirm answered.
        listMigrations: async () => ({ items: [], nextCursor: null }),
        getMigration: async () => ({ migration: queued }),
        streamEvents: () => new Promise(() => {}),
      },
    });
    const migrate = await screen.findByRole('button', { name: 'Migrate' });
    await waitFor(() => expect(migrate).toBeEnabled());
    await userEvent.click(migrate);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Confirm and migrate' }),
    );
    // Queued, no step started: the dialog is gone all the same.
    await waitFor(() =>
      expect(
        screen.queryByText('Review the migration plan'),
      ).not.toBeInTheDocument(),
    );
    const card = await screen.findByRole('region', { name: 'Live migration' });
    await waitFor(() => expect(card).toHaveFocus());
    const status = within(card).getByRole('status');
    expect(status).toHaveAttribute('aria-live', 'polite');
    expect(status).toHaveTextContent(
      'Queued: waiting for a worker to start it',
    );
  });

  it('shows a migration started elsewhere without a reload, in an app without signals', async () => {
    const base = migration({ status: 'running' });
    const active = migration({
      status: 'running',
      steps: base.steps.map((step, i) => ({
        ...step,
        status:
          (['succeeded', 'succeeded', 'running'] as const)[i] ?? 'pending',
      })),
    });
    let items: ReturnType<typeof migration>[] = [];
    renderTab(
      uniqueDataset(),
      {
        api: {
          listMigrations: async () => ({ items, nextCursor: null }),
          getMigration: async () => ({ migration: active }),
          streamEvents: () => new Promise(() => {}),
        },
      },
      50,
    );
    const migrate = await screen.findByRole('button', { name: 'Migrate' });
    await waitFor(() => expect(migrate).toBeEnabled());
    expect(screen.queryByText('Current migration')).not.toBeInTheDocument();

    items = [active];
    expect(await screen.findByText('Current migration')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Migrate' })).toBeDisabled(),
    );
    const card = screen.getByRole('region', { name: 'Live migration' });
    expect(within(card).getByRole('status')).toHaveTextContent(
      'Running step 3 of 7: copy',
    );
    // Found by polling, not started here: focus stays where the person left it.
    expect(card).not.toHaveFocus();
  });

  it('tells the owner how to fix a dataset without a location', async () => {
    renderTab({
      ...dataset,
      metadata: { ...dataset.metadata, annotations: {} },
    });
    expect(
      await screen.findByText(/This dataset has no location/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/dataset-migrations.io\/location/),
    ).toBeInTheDocument();
  });
});
