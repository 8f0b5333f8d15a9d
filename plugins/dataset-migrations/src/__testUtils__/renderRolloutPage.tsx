import { Route, Routes } from 'react-router-dom';
import { RolloutPage } from '../components/Rollouts/RolloutPage';
import { ROLLOUT_ID } from './rolloutFixtures';
import { PluginAppOptions, renderInPluginApp } from './renderInPluginApp';

/** The rollout page at its own `:id`, with the plugin's test app around it. */
export function renderRolloutPage(options: PluginAppOptions = {}) {
  return renderInPluginApp(
    <Routes>
      <Route path="/rollout/:id" element={<RolloutPage />} />
    </Routes>,
    { initialRouteEntries: [`/rollout/${ROLLOUT_ID}`], ...options },
  );
}
