import type { MigrationListQuery } from '@internal/backstage-plugin-dataset-migrations-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useLocation } from 'react-router-dom';
import userEvent from '@testing-library/user-event';
import { dataPlatform, migration } from '../../__testUtils__/fixtures';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { HistoryDashboard } from './HistoryDashboard';
import { INVERTED_RANGE_MESSAGE } from './HistoryFilters';

const stats = {
  total: 3,
  byStatus: { completed: 2, failed: 1 },
  successRate: 2 / 3,
  rollbacks: { requestedByPerson: 0, automatic: 0 },
  perDay: [{ day: '2026-11-23', count: 3 }],
};

const connections = async () => ({
  items: [
    { name: 'warehouse', client: 'better-sqlite3' as const },
    { name: 'lakehouse', client: 'pg' as const },
  ],
});

/** Shows the URL's query, where the dashboard keeps its filters. */
const LocationProbe = () => (
  <span data-testid="location">{useLocation().search}</span>
);

describe('HistoryDashboard', () => {
  it('shows the stats and the first page, and the next page asks for the cursor', async () => {
    const listMigrations = jest.fn(async (query?: MigrationListQuery) =>
      query?.cursor
        ? {
            items: [
              migration({
                id: '44444444-4444-4444-8444-444444444444',
                entityRef: 'resource:default/orders',
                status: 'failed',
              }),
            ],
            nextCursor: null,
          }
        : {
            items: [migration({ status: 'completed' })],
            nextCursor: 'cursor-after-first-page',
          },
    );
    renderInPluginApp(<HistoryDashboard />, {
      api: {
        listConnections: connections,
        getMigrationStats: async () => stats,
        listMigrations,
      },
    });
    expect(await screen.findByLabelText('success rate')).toHaveTextContent(
      '67%',
    );
    expect(
      within(screen.getByRole('list', { name: 'counts by status' })).getByRole(
        'listitem',
        { name: 'failed: 1' },
      ),
    ).toBeInTheDocument();
    expect(await screen.findByText('customer-accounts')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('orders')).toBeInTheDocument();
    expect(listMigrations).toHaveBeenLastCalledWith({
      limit: 20,
      cursor: 'cursor-after-first-page',
    });
  });

  it('filters both the stats and the table, and starts again from the first page', async () => {
    const getMigrationStats = jest.fn(async () => stats);
    const listMigrations = jest.fn(async () => ({
      items: [migration({ status: 'failed' })],
      nextCursor: 'more',
    }));
    renderInPluginApp(
      <>
        <HistoryDashboard />
        <LocationProbe />
      </>,
      {
        api: {
          listConnections: connections,
          getMigrationStats,
          listMigrations,
        },
        entities: [dataPlatform],
      },
    );
    await screen.findByText('customer-accounts');
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() =>
      expect(listMigrations).toHaveBeenLastCalledWith({
        limit: 20,
        cursor: 'more',
      }),
    );

    const filters = within(screen.getByRole('search', { name: 'filters' }));
    await userEvent.click(filters.getByRole('button', { name: /^Status/ }));
    await userEvent.click(screen.getByRole('option', { name: 'failed' }));
    await waitFor(() =>
      expect(getMigrationStats).toHaveBeenLastCalledWith({ status: 'failed' }),
    );
    await waitFor(() =>
      expect(listMigrations).toHaveBeenLastCalledWith({
        status: 'failed',
        limit: 20,
        cursor: undefined,
      }),
    );

    await userEvent.click(filters.getByRole('button', { name: /^Connection/ }));
    const menu = screen.getByRole('listbox');
    await userEvent.click(within(menu).getByText('lakehouse (pg)'));
    await waitFor(() =>
      expect(getMigrationStats).toHaveBeenLastCalledWith({
        status: 'failed',
        connection: 'lakehouse',
      }),
    );

    // The owner is a group picked by its display name; the API gets its ref.
    await userEvent.type(filters.getByLabelText('Owner'), 'Data');
    await userEvent.click(
      await screen.findByRole('option', { name: 'Data Platform' }),
    );
    await waitFor(() =>
      expect(listMigrations).toHaveBeenLastCalledWith({
        status: 'failed',
        connection: 'lakehouse',
        owner: 'group:default/data-platform',
        limit: 20,
        cursor: undefined,
      }),
    );
    // ...and the filters are in the URL, to share or reload.
    expect(screen.getByTestId('location')).toHaveTextContent(
      '?status=failed&owner=group%3Adefault%2Fdata-platform&connection=lakehouse',
    );
  });

  it('opens with the filters of its URL, the owner by its display name', async () => {
    const getMigrationStats = jest.fn(async () => stats);
    renderInPluginApp(<HistoryDashboard />, {
      api: {
        listConnections: connections,
        getMigrationStats,
        listMigrations: async () => ({ items: [], nextCursor: null }),
      },
      entities: [dataPlatform],
      initialRouteEntries: [
        '/?status=failed&owner=group:default/data-platform&from=2026-11-01',
      ],
    });
    await waitFor(() =>
      expect(getMigrationStats).toHaveBeenCalledWith({
        status: 'failed',
        owner: 'group:default/data-platform',
        createdAfter: '2026-11-01T00:00:00.000Z',
      }),
    );
    await waitFor(() =>
      expect(screen.getByLabelText('Owner')).toHaveValue('Data Platform'),
    );
  });

  it('refuses an inverted date range with a message, and applies nothing', async () => {
    const getMigrationStats = jest.fn(async () => stats);
    renderInPluginApp(<HistoryDashboard />, {
      api: {
        listConnections: connections,
        getMigrationStats,
        listMigrations: async () => ({ items: [], nextCursor: null }),
      },
    });
    const filters = within(
      await screen.findByRole('search', { name: 'filters' }),
    );
    fireEvent.change(filters.getByLabelText('From'), {
      target: { value: '2026-11-20' },
    });
    await waitFor(() =>
      expect(getMigrationStats).toHaveBeenLastCalledWith({
        createdAfter: '2026-11-20T00:00:00.000Z',
      }),
    );
    const calls = getMigrationStats.mock.calls.length;
    fireEvent.change(filters.getByLabelText('To'), {
      target: { value: '2026-11-10' },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      INVERTED_RANGE_MESSAGE,
    );
    expect(getMigrationStats).toHaveBeenCalledTimes(calls);

    fireEvent.change(filters.getByLabelText('To'), {
      target: { value: '2026-11-25' },
    });
    await waitFor(() =>
      expect(getMigrationStats).toHaveBeenLastCalledWith({
        createdAfter: '2026-11-20T00:00:00.000Z',
        createdBefore: '2026-11-25T23:59:59.999Z',
      }),
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('tells a newcomer how to start when nothing was ever migrated', async () => {
    renderInPluginApp(<HistoryDashboard />, {
      api: {
        listConnections: connections,
        getMigrationStats: async () => ({
          total: 0,
          byStatus: {},
          successRate: null,
          rollbacks: { requestedByPerson: 0, automatic: 0 },
          perDay: [],
        }),
      },
    });
    expect(
      await screen.findByText('No dataset has been migrated yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/go to its Migrations tab and click Migrate/),
    ).toBeInTheDocument();
    // The next step is one click away: the catalog filtered to datasets.
    expect(
      screen.getByRole('button', { name: 'Browse datasets' }),
    ).toHaveAttribute(
      'href',
      '/catalog?filters[kind]=resource&filters[type]=dataset',
    );
  });

  it('says when the statistics cannot be loaded', async () => {
    renderInPluginApp(<HistoryDashboard />, {
      api: {
        listConnections: connections,
        getMigrationStats: async () => {
          throw new Error('Bad Gateway');
        },
      },
    });
    expect(
      await screen.findByText(/Could not load the migration statistics/),
    ).toBeInTheDocument();
  });
});
