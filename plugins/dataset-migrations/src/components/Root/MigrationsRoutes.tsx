import { Route, Routes } from 'react-router-dom';
import { HistoryDashboard } from '../HistoryDashboard/HistoryDashboard';
import { MigrationDetailPage } from '../MigrationDetail/MigrationDetailPage';

/** The Migrations tab: the history dashboard, and each migration at `:id` below it. */
export const MigrationsRoutes = () => (
  <Routes>
    <Route index element={<HistoryDashboard />} />
    <Route path=":id" element={<MigrationDetailPage />} />
  </Routes>
);
