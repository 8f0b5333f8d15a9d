import type { ConsumerReport } from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import type { ConsumerReportStore } from './ConsumerReportStore';

const T = 'dm_consumer_reports';

const toReport = (row: Record<string, any>): ConsumerReport =>
  JSON.parse(String(row.report_json));

/** Consumer reports through knex: SQLite, PostgreSQL or MySQL/MariaDB alike. */
export class KnexConsumerReportStore implements ConsumerReportStore {
  constructor(private readonly db: Knex) {}

  async listReports(migrationId: string): Promise<ConsumerReport[]> {
    const rows = await this.db(T)
      .where({ migration_id: migrationId })
      .orderBy('entity_ref');
    return rows.map(toReport);
  }

  async getReport(
    migrationId: string,
    entityRef: string,
  ): Promise<ConsumerReport | undefined> {
    const row = await this.db(T)
      .where({ migration_id: migrationId, entity_ref: entityRef })
      .first();
    return row ? toReport(row) : undefined;
  }

  async replaceReports(
    migrationId: string,
    reports: ConsumerReport[],
  ): Promise<void> {
    if (reports.length === 0) {
      // One statement is atomic by itself: no transaction around it (two round trips).
      await this.db(T).where({ migration_id: migrationId }).delete();
      return;
    }
    await this.db.transaction(async tx => {
      await tx(T)
        .where({ migration_id: migrationId })
        .whereNotIn(
          'entity_ref',
          reports.map(r => r.entityRef),
        )
        .delete();
      for (const report of reports) {
        await tx(T)
          .insert({
            migration_id: migrationId,
            entity_ref: report.entityRef,
            status: report.status,
            report_json: JSON.stringify(report),
            checked_at: new Date(report.checkedAt),
          })
          .onConflict(['migration_id', 'entity_ref'])
          .merge(['status', 'report_json', 'checked_at']);
      }
    });
  }

  async setPullRequest(
    migrationId: string,
    entityRef: string,
    url: string,
  ): Promise<boolean> {
    // Read and written in one transaction, under the row's lock where the engine has
    // one, so two clicks never record two pull requests.
    return this.db.transaction(async tx => {
      const query = tx(T).where({
        migration_id: migrationId,
        entity_ref: entityRef,
      });
      const row = await (tx.client.config.client === 'better-sqlite3'
        ? query.first()
        : query.forUpdate().first());
      if (!row) return false;
      const report = toReport(row);
      if (report.pullRequestUrl) return false;
      const updated: ConsumerReport = {
        ...report,
        pullRequestUrl: url,
        status: report.status === 'repointed' ? 'repointed' : 'pr-open',
      };
      await tx(T)
        .where({ migration_id: migrationId, entity_ref: entityRef })
        .update({
          status: updated.status,
          report_json: JSON.stringify(updated),
        });
      return true;
    });
  }
}
