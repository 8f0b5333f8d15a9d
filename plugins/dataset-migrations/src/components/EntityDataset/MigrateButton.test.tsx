import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { datasetMigrationsApiRef } from '../../api';
import {
  apiWith,
  dataset,
  migration,
  plan,
} from '../../__testUtils__/fixtures';
import { MigrateButton } from './MigrateButton';

// usePermission caches decisions per resource: each test uses its own dataset name.
let counter = 0;

function renderButton(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  api = apiWith({}),
  onStarted = jest.fn(),
) {
  counter += 1;
  const entity = {
    ...dataset,
    metadata: { ...dataset.metadata, name: `dataset-${counter}` },
  };
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [datasetMigrationsApiRef, api],
        [permissionApiRef, mockApis.permission({ authorize: result })],
      ]}
    >
      <EntityProvider entity={entity}>
        <MigrateButton onStarted={onStarted} />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('MigrateButton', () => {
  it('is disabled for someone who may not migrate the dataset, and says why', async () => {
    await renderButton(AuthorizeResult.DENY);
    expect(
      await screen.findByText(
        'Only the owners of this dataset can migrate it.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Migrate' })).toBeDisabled();
  });

  it('plans, reviews and starts the migration with the reviewed hash', async () => {
    const createPlan = jest.fn(async () => ({ plan: plan() }));
    const startMigration = jest.fn(async () => ({ migration: migration() }));
    const onStarted = jest.fn();
    await renderButton(
      AuthorizeResult.ALLOW,
      apiWith({ createPlan, startMigration }),
      onStarted,
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Migrate' })).toBeEnabled(),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Migrate' }));
    expect(createPlan).toHaveBeenCalledWith(`resource:default/dataset-${counter}`);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Confirm and migrate' }),
    );
    expect(startMigration).toHaveBeenCalledWith(
      `resource:default/dataset-${counter}`,
      'a'.repeat(64),
    );
    await waitFor(() => expect(onStarted).toHaveBeenCalled());
  });

  it('shows why planning failed', async () => {
    const createPlan = jest.fn(async () => {
      throw new Error(
        'Table customerAccounts does not exist on connection warehouse',
      );
    });
    await renderButton(AuthorizeResult.ALLOW, apiWith({ createPlan }));
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Migrate' })).toBeEnabled(),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Migrate' }));
    expect(
      await screen.findAllByText(/does not exist on connection warehouse/),
    ).not.toHaveLength(0);
  });
});
