import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, waitFor, within } from '@testing-library/react';
import { ada, dataPlatform, uniqueDataset } from '../../__testUtils__/fixtures';
import {
  PluginAppOptions,
  renderInPluginApp,
} from '../../__testUtils__/renderInPluginApp';
import { DatasetMigrationsContent } from '../DatasetMigrationsContent/DatasetMigrationsContent';

function renderTab(options: PluginAppOptions) {
  const entity = uniqueDataset();
  renderInPluginApp(
    <EntityProvider entity={entity}>
      <DatasetMigrationsContent />
    </EntityProvider>,
    { entities: [dataPlatform, ada], ...options },
  );
  return `resource:default/${entity.metadata.name}`;
}

const locationCard = async () =>
  (await screen.findByText('Location')).closest('.MuiCard-root') as HTMLElement;

describe('the Location card on a table that is not on its connection', () => {
  it('disables Migrate saying the table does not exist and what to fix', async () => {
    const getDatasetTable = jest.fn(async (_ref: string, location: string) => ({
      table: { location, existence: 'missing' as const },
    }));
    const entityRef = renderTab({ api: { getDatasetTable } });
    const card = await locationCard();
    const migrate = within(card).getByRole('button', { name: 'Migrate' });
    await waitFor(() => expect(migrate).toBeDisabled());
    expect(
      within(card).getByText(
        'The table warehouse:customerAccounts does not exist on its connection: fix the dataset-migrations.io/location annotation in catalog-info.yaml, or create the table.',
      ),
    ).toBeInTheDocument();
    expect(getDatasetTable).toHaveBeenCalledWith(
      entityRef,
      'warehouse:customerAccounts',
    );
  });

  it('keeps Migrate enabled with a note when the connection could not be asked', async () => {
    renderTab({
      api: {
        getDatasetTable: async (_ref: string, location: string) => ({
          table: {
            location,
            existence: 'unknown' as const,
            reason:
              'connection warehouse could not be asked: connect ECONNREFUSED',
          },
        }),
      },
    });
    const card = await locationCard();
    expect(
      await within(card).findByText(
        'Whether the table exists could not be checked: connection warehouse could not be asked: connect ECONNREFUSED.',
      ),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        within(card).getByRole('button', { name: 'Migrate' }),
      ).toBeEnabled(),
    );
    expect(card).not.toHaveTextContent('does not exist');
  });

  it('keeps Migrate enabled, with no note, when the table exists', async () => {
    renderTab({});
    const card = await locationCard();
    await waitFor(() =>
      expect(
        within(card).getByRole('button', { name: 'Migrate' }),
      ).toBeEnabled(),
    );
    expect(card).not.toHaveTextContent('could not be checked');
    expect(card).not.toHaveTextContent('does not exist');
  });
});
