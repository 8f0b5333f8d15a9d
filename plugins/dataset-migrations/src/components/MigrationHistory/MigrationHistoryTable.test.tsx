import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
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
    expect(screen.getByText('Page 2')).toBeInTheDocument();
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
});
