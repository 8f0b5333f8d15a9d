import { stringifyEntityRef } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { DatasetMigrationsApi } from '@internal/backstage-plugin-dataset-migrations-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { migration, plan, uniqueDataset } from '../../__testUtils__/fixtures';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { MigrateButton } from './MigrateButton';

function renderButton(options: {
  authorize?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  api?: Partial<DatasetMigrationsApi>;
  activeMigration?: ReturnType<typeof migration>;
  onStarted?: jest.Mock;
}) {
  const entity = uniqueDataset();
  const rendered = renderInPluginApp(
    <EntityProvider entity={entity}>
      <MigrateButton
        activeMigration={options.activeMigration}
        onStarted={options.onStarted ?? jest.fn()}
      />
    </EntityProvider>,
    { api: options.api, authorize: options.authorize },
  );
  return { entityRef: stringifyEntityRef(entity), rendered };
}

const migrateButton = () => screen.getByRole('button', { name: 'Migrate' });

describe('MigrateButton', () => {
  it('is disabled for someone who may not migrate the dataset, and says why', async () => {
    const createPlan = jest.fn();
    renderButton({ authorize: AuthorizeResult.DENY, api: { createPlan } });
    expect(
      await screen.findByText(
        'Only the owners of this dataset can migrate it.',
      ),
    ).toBeInTheDocument();
    expect(migrateButton()).toBeDisabled();
    expect(createPlan).not.toHaveBeenCalled();
  });

  it('is disabled while another migration of the dataset is active', async () => {
    renderButton({ activeMigration: migration({ status: 'running' }) });
    expect(
      await screen.findByText(/A migration of this dataset is running/),
    ).toBeInTheDocument();
    expect(migrateButton()).toBeDisabled();
  });

  it('plans with one click, and Confirm starts the migration with the reviewed hash', async () => {
    const createPlan = jest.fn(async () => ({ plan: plan() }));
    const started = migration();
    const startMigration = jest.fn(async () => ({ migration: started }));
    const onStarted = jest.fn();
    const { entityRef } = renderButton({
      api: { createPlan, startMigration },
      onStarted,
    });
    await waitFor(() => expect(migrateButton()).toBeEnabled());
    await userEvent.click(migrateButton());
    expect(createPlan).toHaveBeenCalledWith(entityRef);
    expect(
      await screen.findByText('Review the migration plan'),
    ).toBeInTheDocument();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Confirm and migrate' }),
    );
    expect(startMigration).toHaveBeenCalledWith(entityRef, 'a'.repeat(64));
    await waitFor(() => expect(onStarted).toHaveBeenCalledWith(started));
  });

  it('shows why planning failed and plans again on request', async () => {
    const createPlan = jest
      .fn()
      .mockRejectedValueOnce(
        new Error(
          'Table customerAccounts does not exist on connection warehouse',
        ),
      )
      .mockResolvedValueOnce({ plan: plan() });
    renderButton({ api: { createPlan } });
    await waitFor(() => expect(migrateButton()).toBeEnabled());
    await userEvent.click(migrateButton());
    expect(
      (await screen.findAllByText(/does not exist on connection warehouse/))
        .length,
    ).toBeGreaterThan(0);
    await userEvent.click(
      screen.getByRole('button', { name: 'Generate the plan again' }),
    );
    expect(
      await screen.findByText(
        'warehouse:customerAccounts → warehouse:customer_accounts',
      ),
    ).toBeInTheDocument();
    expect(createPlan).toHaveBeenCalledTimes(2);
  });

  it('keeps the review open and shows the reason when starting is refused', async () => {
    const startMigration = jest.fn(async () => {
      throw new Error('resource:default/x already has an active migration');
    });
    renderButton({
      api: { createPlan: async () => ({ plan: plan() }), startMigration },
    });
    await waitFor(() => expect(migrateButton()).toBeEnabled());
    await userEvent.click(migrateButton());
    await userEvent.click(
      await screen.findByRole('button', { name: 'Confirm and migrate' }),
    );
    expect(
      (await screen.findAllByText(/already has an active migration/)).length,
    ).toBeGreaterThan(0);
    expect(screen.getByText('Review the migration plan')).toBeInTheDocument();
  });
});
