import { ConflictError } from '@backstage/errors';
import type { ConsumerReport } from '@internal/backstage-plugin-dataset-migrations-common';
import { applyPatch } from 'diff';
import type { MigrationRecord } from '../store/MigrationStore';
import type { PullRequestRequest } from './GithubPullRequests';

const qualified = (name: { schema?: string; table: string }) =>
  name.schema ? `${name.schema}.${name.table}` : name.table;

/**
 * The pull request for one consumer's patch: each file as it is now with the patch
 * applied (refused when the file changed where the patch goes), on a branch named
 * after the migration, with a description that links it.
 */
export async function pullRequestFor(
  record: MigrationRecord,
  report: ConsumerReport,
  options: { appBaseUrl: string; read: (url: string) => Promise<string> },
): Promise<PullRequestRequest> {
  const { plan } = record;
  const files: PullRequestRequest['files'] = [];
  for (const file of report.files) {
    if (!file.diff) continue;
    const current = await options.read(file.url);
    const content = applyPatch(current, file.diff);
    if (content === false) {
      throw new ConflictError(
        `${file.url} changed since its consumers were checked, where the patch goes; check the consumers again, then open the pull request`,
      );
    }
    files.push({ url: file.url, content });
  }
  const from = qualified(plan.source);
  const to = qualified(plan.target);
  const link = `${options.appBaseUrl.replace(
    /\/+$/,
    '',
  )}/dataset-migrations/migrations/${record.id}`;
  const statements = report.files.flatMap(f => f.statements);
  const proven = statements.filter(s => s.outcome === 'verified').length;
  const rewritten = statements.filter(
    s => s.outcome === 'verified' || s.outcome === 'rewritten',
  ).length;
  return {
    files,
    branch: `dataset-migrations/${record.id.slice(0, 8)}-${plan.target.table}`
      .replace(/[^A-Za-z0-9._/-]+/g, '-')
      .slice(0, 200),
    title: `Read ${to} instead of ${from}`,
    body: [
      `The dataset ${record.entityRef} moved from \`${plan.source.connection}:${from}\` to \`${plan.target.connection}:${to}\` ([migration ${record.id}](${link})).`,
      '',
      `This change rewrites ${rewritten} statement(s) in ${files.length} file(s) of ${report.entityRef} for the new table; ${proven} of them returned the same rows on the old and the new table (result parity).`,
      '',
      'The old name is served by a compatibility layer until the migration is finalized; merge this before then.',
    ].join('\n'),
  };
}
