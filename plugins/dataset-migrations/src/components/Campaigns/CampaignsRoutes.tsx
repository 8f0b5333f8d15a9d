import { Route, Routes } from 'react-router-dom';
import { CampaignPage } from './CampaignPage';
import { CampaignsListPage } from './CampaignsListPage';

/** The Campaigns tab: the list, and each campaign at `:id` below it. */
export const CampaignsRoutes = () => (
  <Routes>
    <Route index element={<CampaignsListPage />} />
    <Route path=":id" element={<CampaignPage />} />
  </Routes>
);
