import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { datasetMigrationsApiRef } from '../../api';
import { apiWith, migration } from '../../__testUtils__/fixtures';
import { MigrationHistoryTable } from './MigrationHistoryTable';

describe('MigrationHistoryTable', () => {
  it('pages on the server with the cursor the API returned', async () => {
    const listMigrations = jest.fn(async (query?: { cursor?: string }) =>
      query?.cursor === 'page-2'
        ? {
            items: [
              migration({
                id: '22222222-2222-4222-8222-222222222222',
                entityRef: 'resource:default/second-page',
                status: 'failed',
              }),
            ],
            nextCursor: null,
          }
        : { items: [migration({ status: 'completed' })], nextCursor: 'page-2' },
    );
    await renderInTestApp(
      <TestApiProvider
        apis={[[datasetMigrationsApiRef, apiWith({ listMigrations })]]}
      >
        <MigrationHistoryTable
          title="Migrations"
          query={{ status: 'completed' }}
        />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('resource:default/customer-accounts'),
    ).toBeInTheDocument();
    expect(listMigrations).toHaveBeenLastCalledWith({
      status: 'completed',
      limit: 20,
      cursor: undefined,
    });
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(
      await screen.findByText('resource:default/second-page'),
    ).toBeInTheDocument();
    expect(listMigrations).toHaveBeenLastCalledWith({
      status: 'completed',
      limit: 20,
      cursor: 'page-2',
    });
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
  });

  it('tells a person what to do when there is no history', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[datasetMigrationsApiRef, apiWith({})]]}>
        <MigrationHistoryTable title="Migrations" query={{}} />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(
        /Open a dataset in the catalog and click Migrate/,
      ),
    ).toBeInTheDocument();
  });
});
