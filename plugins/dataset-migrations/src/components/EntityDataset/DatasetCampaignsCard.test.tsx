import { stringifyEntityRef } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CampaignsApi } from '@internal/backstage-plugin-dataset-migrations-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CAMPAIGN_ID, membership } from '../../__testUtils__/campaignFixtures';
import {
  dataPlatform,
  plan,
  uniqueDataset,
} from '../../__testUtils__/fixtures';
import {
  PluginAppOptions,
  renderInPluginApp,
} from '../../__testUtils__/renderInPluginApp';
import { DatasetMigrationsContent } from '../DatasetMigrationsContent';
import { DatasetCampaignsCard } from './DatasetCampaignsCard';

// Each test has a dataset of its own: usePermission caches decisions per dataset.
function renderCard(
  campaigns: Partial<CampaignsApi>,
  options: PluginAppOptions = {},
) {
  const entity = uniqueDataset();
  renderInPluginApp(
    <EntityProvider entity={entity}>
      <DatasetCampaignsCard />
    </EntityProvider>,
    { campaigns, ...options },
  );
  return stringifyEntityRef(entity);
}

// The first test renders the whole tab and the plan review: seconds on a loaded
// two-core machine, past jest's default 5 s.

const asking = () => membership({ state: 'awaiting_approval' });

describe('DatasetCampaignsCard', () => {
  it('lets an owner review the plan on the tab and approve it by its hash', async () => {
    const entity = uniqueDataset();
    const entityRef = stringifyEntityRef(entity);
    const createPlan = jest.fn(async () => ({ plan: plan() }));
    const listDatasetCampaigns = jest
      .fn()
      .mockResolvedValueOnce({ items: [asking()] })
      .mockResolvedValue({
        items: [
          membership({ state: 'queued', approvedBy: 'user:default/ada' }),
        ],
      });
    const approveCampaignDataset = jest.fn(async () => ({
      dataset: membership({ state: 'queued' }),
    }));
    renderInPluginApp(
      <EntityProvider entity={entity}>
        <DatasetMigrationsContent />
      </EntityProvider>,
      {
        entities: [dataPlatform],
        api: { createPlan },
        campaigns: { listDatasetCampaigns, approveCampaignDataset },
      },
    );
    expect(
      await screen.findByText(
        'Campaign warehouse snake_case asks to migrate this dataset.',
      ),
    ).toBeInTheDocument();
    expect(listDatasetCampaigns).toHaveBeenCalledWith(entityRef);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Review and approve' }),
    );
    expect(createPlan).toHaveBeenCalledWith(entityRef);
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText(
        'warehouse:customerAccounts → warehouse:customer_accounts',
      ),
    ).toBeInTheDocument();
    expect(approveCampaignDataset).not.toHaveBeenCalled();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve this plan' }),
    );
    expect(approveCampaignDataset).toHaveBeenCalledWith(
      CAMPAIGN_ID,
      entityRef,
      'a'.repeat(64),
    );
    // Who approved, by name and linked to them, not as an entity ref.
    expect(await screen.findByText(/approved by/)).not.toHaveTextContent(
      'user:default/ada',
    );
    expect(screen.getByRole('link', { name: 'ada' })).toHaveAttribute(
      'href',
      '/catalog/default/user/ada',
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: 'Review and approve' }),
      ).not.toBeInTheDocument(),
    );
  });

  it('shows someone who may not migrate the dataset who is asked, and no button', async () => {
    const approveCampaignDataset = jest.fn();
    renderCard(
      {
        listDatasetCampaigns: async () => ({ items: [asking()] }),
        approveCampaignDataset,
      },
      { authorize: AuthorizeResult.DENY },
    );
    expect(
      await screen.findByText(
        /it waits for one of the dataset's owners to approve the plan/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Review and approve' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Decline' }),
    ).not.toBeInTheDocument();
  });

  it('declines for an owner, and shows the reason a refused answer gives', async () => {
    const declineCampaignDataset = jest
      .fn()
      .mockRejectedValueOnce(
        new Error('Campaign warehouse snake_case is cancelled'),
      )
      .mockResolvedValueOnce({ dataset: membership({ state: 'skipped' }) });
    const entityRef = renderCard({
      listDatasetCampaigns: jest
        .fn()
        .mockResolvedValueOnce({ items: [asking()] })
        .mockResolvedValue({
          items: [membership({ state: 'skipped', reason: 'declined' })],
        }),
      declineCampaignDataset,
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Decline' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not decline: Campaign warehouse snake_case is cancelled',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Decline' }));
    expect(declineCampaignDataset).toHaveBeenLastCalledWith(
      CAMPAIGN_ID,
      entityRef,
    );
    expect(await screen.findByText(/\(declined\)/)).toBeInTheDocument();
  });

  it('draws nothing for a dataset in no campaign', async () => {
    const listDatasetCampaigns = jest.fn(async () => ({ items: [] }));
    renderCard({ listDatasetCampaigns });
    await waitFor(() => expect(listDatasetCampaigns).toHaveBeenCalled());
    expect(screen.queryByText('Campaigns')).not.toBeInTheDocument();
  });
});
