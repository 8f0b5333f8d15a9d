import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { campaign, pausedDetail } from '../../__testUtils__/campaignFixtures';
import { renderInPluginApp } from '../../__testUtils__/renderInPluginApp';
import { CampaignsListPage } from './CampaignsListPage';
import { renderCampaignPage } from '../../__testUtils__/renderCampaignPage';

// usePermission caches the admin decision for the whole test file: the page as a
// non-administrator sees it is tested here, apart.
describe('Campaigns for someone who is not an administrator', () => {
  it('shows the campaign but no action', async () => {
    const actOnCampaign = jest.fn();
    renderCampaignPage({
      authorize: AuthorizeResult.DENY,
      campaigns: {
        getCampaign: async () => ({ campaign: pausedDetail() }),
        actOnCampaign,
      },
    });
    expect(await screen.findByLabelText('campaign status')).toHaveTextContent(
      'paused',
    );
    expect(screen.getByLabelText('datasets by state')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Resume' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Cancel campaign' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Finalize all awaiting cleanup' }),
    ).not.toBeInTheDocument();
    expect(actOnCampaign).not.toHaveBeenCalled();
  });

  it('lists the campaigns without "New campaign"', async () => {
    renderInPluginApp(<CampaignsListPage />, {
      authorize: AuthorizeResult.DENY,
      campaigns: { listCampaigns: async () => ({ items: [campaign()] }) },
    });
    expect(await screen.findByText(campaign().name)).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'New campaign' }),
    ).not.toBeInTheDocument();
  });
});
