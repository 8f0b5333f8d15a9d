import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

/*
 * A backend with only this plugin, for working on it alone: `yarn start` in this
 * package. Auth is mocked (any request is a user), the catalog holds one dataset on
 * the SQLite connection that app-config names `warehouse`. Try:
 *
 *   curl localhost:7007/api/dataset-migrations/connections
 *   curl localhost:7007/api/dataset-migrations/plans -H 'Content-Type: application/json' \
 *     -d '{"entityRef":"resource:default/customer-accounts"}'
 */
const backend = createBackend();

backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(
  catalogServiceMock.factory({
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'customer-accounts',
          annotations: {
            'dataset-migrations.io/location': 'warehouse:customerAccounts',
          },
        },
        spec: { type: 'dataset', owner: 'group:default/data-platform' },
      },
    ],
  }),
);
backend.add(import('../src'));

backend.start();
