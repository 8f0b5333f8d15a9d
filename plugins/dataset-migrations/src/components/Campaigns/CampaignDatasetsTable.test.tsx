import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  CAMPAIGN_ID,
  campaignDataset,
} from '../../__testUtils__/campaignFixtures';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { CampaignDatasetsTable } from './CampaignDatasetsTable';

describe('CampaignDatasetsTable', () => {
  it('sorts and searches the page of datasets shown with the core Table, without asking the server again', async () => {
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

    // By state: blocked, completed, queued.
    await userEvent.click(
      within(screen.getAllByRole('table')[0]).getByRole('button', {
        name: 'State',
      }),
    );
    await waitFor(() =>
      expect(datasets()).toEqual(['accounts', 'payments', 'orders']),
    );

    await userEvent.type(
      screen.getByPlaceholderText('Search this page'),
      'null',
    );
    await waitFor(() => expect(datasets()).toEqual(['accounts']));
    expect(listCampaignDatasets).toHaveBeenCalledTimes(1);
  });
});
