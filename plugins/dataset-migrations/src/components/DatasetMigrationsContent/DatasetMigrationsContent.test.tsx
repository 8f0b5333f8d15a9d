import { catalogApiRef, EntityProvider, entityRouteRef } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { datasetMigrationsApiRef } from '../../api';
import { apiWith, dataset, migration } from '../../__testUtils__/fixtures';
import { DatasetMigrationsContent } from './DatasetMigrationsContent';

const ada = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'ada', namespace: 'default' },
  spec: {
    profile: { displayName: 'Ada Lovelace', email: 'ada@example.com' },
    memberOf: ['data-platform'],
  },
};

describe('DatasetMigrationsContent', () => {
  it('shows location, owners with contacts, upstream and downstream, and the history', async () => {
    const getEntities = jest.fn(async () => ({ items: [ada] }));
    const listMigrations = jest.fn(async () => ({
      items: [
        migration({
          status: 'completed',
          id: '33333333-3333-4333-8333-333333333333',
        }),
      ],
      nextCursor: null,
    }));
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [datasetMigrationsApiRef, apiWith({ listMigrations })],
          [catalogApiRef, { getEntities }],
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
          ],
        ]}
      >
        <EntityProvider entity={dataset}>
          <DatasetMigrationsContent />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByText('Ada Lovelace')).toBeInTheDocument();
    expect(screen.getByText('ada@example.com')).toHaveAttribute(
      'href',
      'mailto:ada@example.com',
    );
    expect(getEntities).toHaveBeenCalledWith({
      filter: {
        kind: 'User',
        'relations.memberOf': ['group:default/data-platform'],
      },
    });
    expect(screen.getByText('customerAccounts')).toBeInTheDocument();
    expect(screen.getByText('Downstream consumers (1)')).toBeInTheDocument();
    expect(screen.getByText(/billing-service/)).toBeInTheDocument();
    expect(screen.getByText(/regions/)).toBeInTheDocument();
    expect(screen.getByText(/compatibility view there/)).toBeInTheDocument();
    expect(await screen.findByText('user:default/guest')).toBeInTheDocument();
    expect(listMigrations).toHaveBeenCalledWith({
      entityRef: 'resource:default/customer-accounts',
      limit: 1,
    });
  });

  it('tells the owner how to fix a dataset without a location', async () => {
    const entity = {
      ...dataset,
      metadata: { ...dataset.metadata, annotations: {} },
    };
    await renderInTestApp(
      <TestApiProvider apis={[[datasetMigrationsApiRef, apiWith({})]]}>
        <EntityProvider entity={entity}>
          <DatasetMigrationsContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(/This dataset has no location/),
    ).toBeInTheDocument();
  });
});
