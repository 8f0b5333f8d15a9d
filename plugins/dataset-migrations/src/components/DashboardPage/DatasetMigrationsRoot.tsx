import { Route, Routes } from 'react-router-dom';
import { DashboardPage } from './DashboardPage';
import { MigrationDetailPage } from './MigrationDetailPage';

/** The plugin's page: the dashboard, and each migration at /migrations/:id. */
export const DatasetMigrationsRoot = () => (
  <Routes>
    <Route path="/" element={<DashboardPage />} />
    <Route path="/migrations/:id" element={<MigrationDetailPage />} />
  </Routes>
);
