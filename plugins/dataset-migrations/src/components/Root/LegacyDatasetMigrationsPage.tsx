import { Header, Page, TabbedLayout } from '@backstage/core-components';
import { Navigate, Route, Routes } from 'react-router-dom';
import { CampaignsRoutes } from '../Campaigns/CampaignsRoutes';
import { FleetPage } from '../Fleet/FleetPage';
import { RolloutsRoutes } from '../Rollouts/RolloutsRoutes';
import { MigrationsRoutes } from './MigrationsRoutes';

/**
 * The plugin's page in a legacy app, with the same URLs as in the new frontend
 * system, where PageBlueprint and SubPageBlueprint draw the header and tabs.
 */
export const LegacyDatasetMigrationsPage = () => (
  <Page themeId="tool">
    <Header
      title="Dataset migrations"
      subtitle="Every migration across all datasets, the campaigns that move fleets of them, the agent versions being rolled out, and the fleet that runs them"
    />
    <Routes>
      <Route index element={<Navigate to="migrations" replace />} />
      <Route
        path="*"
        element={
          <TabbedLayout>
            <TabbedLayout.Route path="/migrations" title="Migrations">
              <MigrationsRoutes />
            </TabbedLayout.Route>
            <TabbedLayout.Route path="/campaigns" title="Campaigns">
              <CampaignsRoutes />
            </TabbedLayout.Route>
            <TabbedLayout.Route path="/rollouts" title="Rollouts">
              <RolloutsRoutes />
            </TabbedLayout.Route>
            <TabbedLayout.Route path="/fleet" title="Fleet">
              <FleetPage />
            </TabbedLayout.Route>
          </TabbedLayout>
        }
      />
    </Routes>
  </Page>
);
