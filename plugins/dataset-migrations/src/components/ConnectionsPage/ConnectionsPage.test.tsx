import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import type { DatasetMigrationsApi } from '@internal/backstage-plugin-dataset-migrations-common';
import { datasetMigrationsApiRef } from '../../api';
import { ConnectionsPage } from './ConnectionsPage';

const apiWith = (
  listConnections: DatasetMigrationsApi['listConnections'],
): Partial<DatasetMigrationsApi> => ({ listConnections });

describe('ConnectionsPage', () => {
  it('lists the configured connections and their engines', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            datasetMigrationsApiRef,
            apiWith(async () => ({
              items: [
                { name: 'warehouse', client: 'better-sqlite3' },
                { name: 'lakehouse', client: 'pg' },
              ],
            })),
          ],
        ]}
      >
        <ConnectionsPage />
      </TestApiProvider>,
    );
    expect(await screen.findByText('warehouse')).toBeInTheDocument();
    expect(screen.getByText('lakehouse')).toBeInTheDocument();
    expect(screen.getByText('better-sqlite3')).toBeInTheDocument();
  });

  it('tells an admin what to configure when there is nothing', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[[datasetMigrationsApiRef, apiWith(async () => ({ items: [] }))]]}
      >
        <ConnectionsPage />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(
        /datasetMigrations.connections in app-config.yaml/,
      ),
    ).toBeInTheDocument();
  });

  it('shows the error when the backend refuses', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            datasetMigrationsApiRef,
            apiWith(async () => {
              throw new Error('backend is down');
            }),
          ],
        ]}
      >
        <ConnectionsPage />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('Error: backend is down'),
    ).toBeInTheDocument();
  });
});
