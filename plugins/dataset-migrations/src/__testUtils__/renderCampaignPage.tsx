import { Route, Routes } from 'react-router-dom';
import { CampaignPage } from '../components/Campaigns/CampaignPage';
import { CAMPAIGN_ID } from './campaignFixtures';
import { PluginAppOptions, renderInPluginApp } from './renderInPluginApp';

/** The campaign page at its own `:id`, with the plugin's test app around it. */
export function renderCampaignPage(options: PluginAppOptions = {}) {
  return renderInPluginApp(
    <Routes>
      <Route path="/campaign/:id" element={<CampaignPage />} />
    </Routes>,
    { initialRouteEntries: [`/campaign/${CAMPAIGN_ID}`], ...options },
  );
}
