import { screen, within } from '@testing-library/react';
import {
  CAMPAIGN_ID,
  campaignDataset,
} from '../../__testUtils__/campaignFixtures';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { CampaignDatasetsTable } from './CampaignDatasetsTable';

describe('CampaignDatasetsTable', () => {
  it('shows the page of datasets the server ordered, with no sort or search of one page', async () => {
    const listCampaignDatasets = jest.fn(async () => ({
      items: [
        campaignDataset({
          entityRef: 'resource:default/orders',
          state: 'queued',
        }),
        campaignDataset({
          entityRef: 'resource:default/accounts',
          state: 'blocked',
          reason: 'not-null-violation',
        }),
        campaignDataset({
          entityRef: 'resource:default/payments',
          state: 'completed',
        }),
      ],
      nextCursor: null,
    }));
    await renderInPluginApp(
      <CampaignDatasetsTable campaignId={CAMPAIGN_ID} refreshKey={0} />,
      { campaigns: { listCampaignDatasets } },
    );
    await screen.findByText('orders');
    const datasets = () =>
      within(screen.getAllByRole('table')[0])
        .getAllByRole('row')
        .slice(1)
        .map(r => within(r).queryAllByRole('link')[0]?.textContent);
    expect(datasets()).toEqual(['orders', 'accounts', 'payments']);

    // The API orders by dataset and has no search: nothing sorts or searches one page.
    expect(
      within(screen.getAllByRole('table')[0]).queryByRole('button', {
        name: 'State',
      }),
    ).not.toBeInTheDocument();
    expect(screen.queryByPlaceholderText('Search all')).not.toBeInTheDocument();
    expect(listCampaignDatasets).toHaveBeenCalledTimes(1);
  });
});
