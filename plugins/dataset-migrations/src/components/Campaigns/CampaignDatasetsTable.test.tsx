import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  CAMPAIGN_ID,
  campaignDataset,
} from '../../__testUtils__/campaignFixtures';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { CampaignDatasetsTable } from './CampaignDatasetsTable';

describe('CampaignDatasetsTable', () => {
  it('sorts and searches the whole campaign on the server, from its first page', async () => {
    const listCampaignDatasets = jest.fn(
      async (
        _id: string,
        query?: { orderBy?: string; search?: string; cursor?: string },
      ) => ({
        items: [
          campaignDataset({
            entityRef: `resource:default/${
              query?.search ?? query?.orderBy ?? 'orders'
            }`,
            state: 'queued',
          }),
        ],
        nextCursor: null,
      }),
    );
    await renderInPluginApp(
      <CampaignDatasetsTable campaignId={CAMPAIGN_ID} refreshKey={0} />,
      { campaigns: { listCampaignDatasets } },
    );
    await screen.findByText('orders');
    expect(
      screen.getByText('25 a page, by dataset until you sort by a column.'),
    ).toBeInTheDocument();
    const table = () => within(screen.getAllByRole('table')[0]);

    await userEvent.click(table().getByRole('button', { name: 'Owner' }));
    expect(await screen.findByText('owner')).toBeInTheDocument();
    expect(listCampaignDatasets).toHaveBeenLastCalledWith(CAMPAIGN_ID, {
      state: undefined,
      orderBy: 'owner',
      order: 'asc',
      limit: 25,
      cursor: undefined,
    });

    await userEvent.type(screen.getByPlaceholderText('Search all'), 'pay');
    expect(await screen.findByText('pay')).toBeInTheDocument();
    expect(listCampaignDatasets).toHaveBeenLastCalledWith(CAMPAIGN_ID, {
      state: undefined,
      orderBy: 'owner',
      order: 'asc',
      search: 'pay',
      limit: 25,
      cursor: undefined,
    });
    // The reason and when it changed are not orders the server offers.
    expect(
      table().queryByRole('button', { name: 'Reason' }),
    ).not.toBeInTheDocument();
    expect(
      table().queryByRole('button', { name: 'Updated' }),
    ).not.toBeInTheDocument();
  });
});
