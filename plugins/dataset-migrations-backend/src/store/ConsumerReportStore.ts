import type { ConsumerReport } from '@internal/backstage-plugin-dataset-migrations-common';

/** The consumer agent's reports, one per migration and consumer. */
export interface ConsumerReportStore {
  /** The reports of a migration's consumers, by entity ref. */
  listReports(migrationId: string): Promise<ConsumerReport[]>;
  getReport(
    migrationId: string,
    entityRef: string,
  ): Promise<ConsumerReport | undefined>;
  /**
   * Stores the reports of one check of every consumer: they replace the migration's
   * earlier ones, and a consumer that no longer depends on the dataset loses its report.
   */
  replaceReports(migrationId: string, reports: ConsumerReport[]): Promise<void>;
  /**
   * Records the pull request opened for a consumer's patch, unless one is recorded
   * already. Returns whether it was recorded.
   */
  setPullRequest(
    migrationId: string,
    entityRef: string,
    url: string,
  ): Promise<boolean>;
}
