import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { ada, migration } from '../../__testUtils__/fixtures';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { MigrationHistoryTable } from './MigrationHistoryTable';

const SECOND = '22222222-2222-4222-8222-222222222222';

describe('MigrationHistoryTable', () => {
  it('pages on the server with the cursor the API returned, and back', async () => {
    const listMigrations = jest.fn(async (query?: { cursor?: string }) =>
      query?.cursor === 'page-2'
        ? {
            items: [
              migration({
                id: SECOND,
                entityRef: 'resource:default/second-page',
                status: 'failed',
              }),
            ],
            nextCursor: null,
          }
        : { items: [migration({ status: 'completed' })], nextCursor: 'page-2' },
    );
    /** The table shows the dataset `name`, fetched with `cursor` under the same query. */
    const expectPage = async (name: string, cursor: string | undefined) => {
      expect(await screen.findByText(name)).toBeInTheDocument();
      expect(listMigrations).toHaveBeenLastCalledWith({
        status: 'completed',
        limit: 20,
        cursor,
      });
    };
    renderInPluginApp(
      <MigrationHistoryTable
        title="Migrations"
        query={{ status: 'completed' }}
      />,
      { api: { listMigrations } },
    );
    await expectPage('customer-accounts', undefined);
    expect(
      screen.getByRole('button', { name: 'Previous page' }),
    ).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await expectPage('second-page', 'page-2');
    // The pager sits inside the table's card, under the rows.
    expect(
      screen.getByText('Page 2', { selector: 'span' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
    expect(screen.getByRole('link', { name: 'Open' })).toHaveAttribute(
      'href',
      `/dataset-migrations/migrations/${SECOND}`,
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Previous page' }),
    );
    await expectPage('customer-accounts', undefined);
  });

  it('shows status, who, duration, agent version and a link to the dataset', async () => {
    const done = migration({
      status: 'completed',
      createdBy: 'user:default/ada',
      agent: { id: 'sql', version: '2.1.0' },
      steps: migration().steps.map(s => ({
        ...s,
        status: 'succeeded' as const,
        finishedAt: '2026-11-23T10:00:42.000Z',
      })),
    });
    renderInPluginApp(<MigrationHistoryTable title="Migrations" query={{}} />, {
      api: {
        listMigrations: async () => ({ items: [done], nextCursor: null }),
      },
      entities: [ada],
    });
    // People and datasets by their display names, linked to their catalog pages.
    const row = (await screen.findByText('Ada Lovelace')).closest('tr')!;
    expect(
      within(row).getByRole('link', { name: 'Ada Lovelace' }),
    ).toHaveAttribute('href', '/catalog/default/user/ada');
    expect(row).not.toHaveTextContent('user:default/ada');
    expect(row).toHaveTextContent('completed');
    expect(row).toHaveTextContent('42 s');
    expect(row).toHaveTextContent('sql@2.1.0');
    expect(
      screen.getByRole('link', { name: 'customer-accounts' }),
    ).toHaveAttribute('href', '/catalog/default/resource/customer-accounts');
  });

  it('tells a person what to do when there is no history', async () => {
    renderInPluginApp(<MigrationHistoryTable title="Migrations" query={{}} />);
    expect(
      await screen.findByText(
        /Open a dataset in the catalog and click Migrate/,
      ),
    ).toBeInTheDocument();
  });

  it('says why the history could not be loaded', async () => {
    renderInPluginApp(<MigrationHistoryTable title="Migrations" query={{}} />, {
      api: {
        listMigrations: async () => {
          throw new Error('Service Unavailable');
        },
      },
    });
    await waitFor(() =>
      expect(
        screen.getByText(/Could not load the history: Service Unavailable/),
      ).toBeInTheDocument(),
    );
  });

  it('sorts and searches the whole history on the server, from its first page', async () => {
    const listMigrations = jest.fn(
      async (query?: { cursor?: string; orderBy?: string; search?: string }) =>
        query?.cursor === 'page-2'
          ? {
              items: [
                migration({ id: SECOND, entityRef: 'resource:default/second' }),
              ],
              nextCursor: null,
            }
          : {
              items: [
                migration({
                  entityRef: `resource:default/${
                    query?.search ?? query?.orderBy ?? 'first'
                  }-page`,
                }),
              ],
              nextCursor: 'page-2',
            },
    );
    renderInPluginApp(<MigrationHistoryTable title="Migrations" query={{}} />, {
      api: { listMigrations },
    });
    await screen.findByText('first-page');
    expect(
      screen.getByText('20 a page, newest first until you sort by a column.'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await screen.findByText('second');

    // Sorting a column asks the server for the first page in that order.
    await userEvent.click(screen.getByRole('button', { name: 'Dataset' }));
    expect(await screen.findByText('entityRef-page')).toBeInTheDocument();
    expect(listMigrations).toHaveBeenLastCalledWith({
      orderBy: 'entityRef',
      order: 'asc',
      limit: 20,
      cursor: undefined,
    });
    expect(
      screen.getByText('Page 1', { selector: 'span' }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Dataset' }));
    await waitFor(() =>
      expect(listMigrations).toHaveBeenLastCalledWith({
        orderBy: 'entityRef',
        order: 'desc',
        limit: 20,
        cursor: undefined,
      }),
    );
    // Its next page continues that order with the cursor the server returned.
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await screen.findByText('second');
    expect(listMigrations).toHaveBeenLastCalledWith({
      orderBy: 'entityRef',
      order: 'desc',
      limit: 20,
      cursor: 'page-2',
    });

    // Searching asks the server too, over every page, from the first.
    await userEvent.type(screen.getByPlaceholderText('Search all'), 'orders');
    expect(await screen.findByText('orders-page')).toBeInTheDocument();
    expect(listMigrations).toHaveBeenLastCalledWith({
      orderBy: 'entityRef',
      order: 'desc',
      search: 'orders',
      limit: 20,
      cursor: undefined,
    });
    // Columns the server cannot order by do not sort at all.
    expect(
      screen.queryByRole('button', { name: 'Duration' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Agent' }),
    ).not.toBeInTheDocument();
  });

  it('asks for the page shown again when the rows may have changed', async () => {
    let asked = 0;
    const listMigrations = jest.fn(async (query?: { cursor?: string }) => {
      asked += 1;
      return query?.cursor === 'page-2'
        ? {
            items: [
              migration({
                entityRef: `resource:default/refreshed-${asked}`,
              }),
            ],
            nextCursor: null,
          }
        : {
            items: [migration({ entityRef: 'resource:default/first-page' })],
            nextCursor: 'page-2',
          };
    });
    const Live = () => {
      const [refreshKey, setRefreshKey] = useState(1);
      return (
        <>
          <button onClick={() => setRefreshKey(k => k + 1)}>New event</button>
          <MigrationHistoryTable
            title="Migrations"
            query={{}}
            refreshKey={refreshKey}
          />
        </>
      );
    };
    await renderInPluginApp(<Live />, { api: { listMigrations } });
    await screen.findByText('first-page');
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await screen.findByText('refreshed-2');
    await userEvent.click(screen.getByRole('button', { name: 'New event' }));
    expect(await screen.findByText('refreshed-3')).toBeInTheDocument();
    expect(listMigrations).toHaveBeenLastCalledWith({
      limit: 20,
      cursor: 'page-2',
    });
  });
});
