import { EntityProvider } from '@backstage/plugin-catalog-react';
import type {
  DatasetNewHome,
  Migration,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import {
  ada,
  dataPlatform,
  dataset,
  migration,
  uniqueDataset,
} from '../../__testUtils__/fixtures';
import {
  PluginAppOptions,
  renderInPluginApp,
} from '../../__testUtils__/renderInPluginApp';
import { DatasetMigrationsContent } from '../DatasetMigrationsContent/DatasetMigrationsContent';
import { MigrationDetailPage } from '../MigrationDetail/MigrationDetailPage';
import { MigrationNewHome } from './MigrationNewHome';

const finalized = (overrides: Partial<Migration> = {}) =>
  migration({
    status: 'completed',
    steps: migration().steps.map(s => ({
      ...s,
      status: 'succeeded' as const,
      attempts: 1,
    })),
    ...overrides,
  });

const NEW_HOME: DatasetNewHome = {
  movedFrom: 'warehouse:customerAccounts',
  location: 'warehouse:customer_accounts',
  migrationId: migration().id,
  movedAt: '2026-11-23T10:05:00.000Z',
};

function renderTab(entity = uniqueDataset(), options: PluginAppOptions = {}) {
  return renderInPluginApp(
    <EntityProvider entity={entity}>
      <DatasetMigrationsContent />
    </EntityProvider>,
    { entities: [dataPlatform, ada], ...options },
  );
}

const locationCard = async () =>
  (await screen.findByText('Location')).closest('.MuiCard-root') as HTMLElement;

describe('the new home after finalize', () => {
  it('on the tab: names the new home, offers the annotation line to copy, and disables Migrate saying why', async () => {
    const getDatasetNewHome = jest.fn(async () => ({ newHome: NEW_HOME }));
    const createPlan = jest.fn();
    const entity = uniqueDataset();
    renderTab(entity, {
      api: {
        getDatasetNewHome,
        createPlan,
        listMigrations: async () => ({
          items: [
            finalized({
              entityRef: `resource:default/${entity.metadata.name}`,
            }),
          ],
          nextCursor: null,
        }),
      },
    });
    const card = await locationCard();
    const status = await within(card).findByRole('status');
    expect(status).toHaveTextContent(
      'The table warehouse:customerAccounts is no longer here: its migration moved it, and it is now at warehouse:customer_accounts.',
    );
    expect(
      within(status).getByRole('link', { name: 'its migration' }),
    ).toHaveAttribute(
      'href',
      `/dataset-migrations/migrations/${NEW_HOME.migrationId}`,
    );
    expect(getDatasetNewHome).toHaveBeenCalledWith(
      `resource:default/${entity.metadata.name}`,
      'warehouse:customerAccounts',
    );
    expect(
      within(card).getByText(
        'dataset-migrations.io/location: warehouse:customer_accounts',
      ),
    ).toBeInTheDocument();
    const copy = within(card).getByRole('button', {
      name: 'Copy the annotation line',
    });
    await userEvent.click(copy);
    expect(
      await screen.findByText('Annotation line copied'),
    ).toBeInTheDocument();

    const migrate = within(card).getByRole('button', { name: 'Migrate' });
    await waitFor(() => expect(migrate).toBeDisabled());
    expect(
      within(card).getByText(
        `The table was moved by migration ${NEW_HOME.migrationId} to warehouse:customer_accounts: migrate it from there once the catalog names it.`,
      ),
    ).toBeInTheDocument();
    expect(createPlan).not.toHaveBeenCalled();

    // The history says it too.
    const history = (await screen.findByText('Migration history')).closest(
      '.MuiCard-root, .MuiPaper-root',
    ) as HTMLElement;
    expect(
      await within(history).findByText('warehouse:customer_accounts'),
    ).toBeInTheDocument();
    expect(history).toHaveTextContent('now at warehouse:customer_accounts');
  });

  it('on the tab: the table where it is, Migrate enabled, when nothing moved it', async () => {
    renderTab(uniqueDataset(), {
      api: { getDatasetNewHome: async () => ({ newHome: null }) },
    });
    const card = await locationCard();
    expect(card).toHaveTextContent(
      'Connection warehouse, table customerAccounts',
    );
    await waitFor(() =>
      expect(
        within(card).getByRole('button', { name: 'Migrate' }),
      ).toBeEnabled(),
    );
    expect(within(card).queryByRole('status')).not.toBeInTheDocument();
  });

  it('on the tab: once the catalog points at the new home, names the migration that moved it there', async () => {
    const entity = uniqueDataset();
    entity.metadata.annotations = {
      'dataset-migrations.io/location': 'warehouse:customer_accounts',
      'dataset-migrations.io/moved-by': NEW_HOME.migrationId,
    };
    renderTab(entity);
    const card = await locationCard();
    expect(card).toHaveTextContent(
      'Moved here by a migration; the catalog points this dataset at its new home.',
    );
    expect(
      within(card).getByText(
        'dataset-migrations.io/location: warehouse:customer_accounts',
      ),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        within(card).getByRole('button', { name: 'Migrate' }),
      ).toBeEnabled(),
    );
  });

  it('on the detail page: a completed migration says where the dataset is now', async () => {
    const completed = finalized();
    renderInPluginApp(
      <Routes>
        <Route path="/migrations/:id" element={<MigrationDetailPage />} />
      </Routes>,
      {
        entities: [dataset],
        initialRouteEntries: [`/migrations/${completed.id}`],
        api: {
          getMigration: async () => ({ migration: completed }),
          streamEvents: async () => {},
        },
      },
    );
    expect(
      await screen.findByText('warehouse:customer_accounts'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('warehouse:customer_accounts').parentElement,
    ).toHaveTextContent('now at warehouse:customer_accounts');
  });

  it('in history cells: now at the target once completed, still at the source when undone, moving while under way', async () => {
    await renderInPluginApp(
      <ul>
        {(
          [
            'completed',
            'rolled_back',
            'failed',
            'running',
            'awaiting_cleanup',
          ] as const
        ).map(status => (
          <li key={status} aria-label={status}>
            <MigrationNewHome migration={migration({ status })} />
          </li>
        ))}
        <li aria-label="no target">
          <MigrationNewHome migration={migration({ target: '' })} />
        </li>
      </ul>,
    );
    const cell = (name: string) => screen.getByRole('listitem', { name });
    expect(cell('completed')).toHaveTextContent(
      'now at warehouse:customer_accounts',
    );
    expect(cell('rolled_back')).toHaveTextContent(
      'still at warehouse:customerAccounts',
    );
    expect(cell('failed')).toHaveTextContent(
      'still at warehouse:customerAccounts',
    );
    expect(cell('running')).toHaveTextContent(
      'moving to warehouse:customer_accounts',
    );
    expect(cell('awaiting_cleanup')).toHaveTextContent(
      'moving to warehouse:customer_accounts',
    );
    expect(cell('no target')).toHaveTextContent('—');
  });
});
