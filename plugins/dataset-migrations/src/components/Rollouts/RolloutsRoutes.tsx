import { Route, Routes } from 'react-router-dom';
import { RolloutPage } from './RolloutPage';
import { RolloutsListPage } from './RolloutsListPage';

/** The Rollouts tab: the agents and rollouts, and each rollout at `:id` below it. */
export const RolloutsRoutes = () => (
  <Routes>
    <Route index element={<RolloutsListPage />} />
    <Route path=":id" element={<RolloutPage />} />
  </Routes>
);
