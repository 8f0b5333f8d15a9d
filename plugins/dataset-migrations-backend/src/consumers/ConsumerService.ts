import type {
  AuthService,
  BackstageCredentials,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  ConsumerFile,
  ConsumerReport,
  ConsumerReportList,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { DatasetMigrationConsumerAgent } from '@internal/backstage-plugin-dataset-migrations-node';
import type { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { safeErrorMessage } from '../errors/safeErrorMessage';
import { mapBounded } from '../fleet/campaigns/planDataset';
import type { DatasetAccess } from '../permissions/DatasetAccess';
import type { ConsumerReportStore } from '../store/ConsumerReportStore';
import type { MigrationRecord, MigrationStore } from '../store/MigrationStore';
import { agentFor, checkConsumerFile } from './checkConsumerFile';
import { consumerMove } from './consumerMove';
import { consumerReport, namesOldTable } from './consumerReport';
import { type Consumer, findConsumers } from './findConsumers';
import { pullRequestFor } from './pullRequestFor';
import type { GithubPullRequests } from './GithubPullRequests';
import { paritySides } from './paritySides';
import { readConsumerFiles } from './readConsumerFiles';
import type { VerifyParity } from './VerifyParity';

/** Consumers checked at once: each reads files and holds database connections. */
const CONSUMERS_AT_ONCE = 2;

/** A consumer whose code still reads the old name, as the finalize gate lists it. */
export type ConsumerOnOldName = { entityRef: string; where: string };

/**
 * The consumer flow of a migration: finds the dataset's consumers in the catalog,
 * reads their SQL through the URL reader, has the consumer agents rewrite it for the
 * new table, proves each rewritten statement by parity, and keeps one report per consumer;
 * answers the finalize gate, serves patches and opens pull requests.
 */
export class ConsumerService {
  constructor(
    private readonly options: {
      store: MigrationStore;
      reports: ConsumerReportStore;
      catalog: CatalogService;
      auth: AuthService;
      urlReader: UrlReaderService;
      integrations: ScmIntegrationRegistry;
      connections: ConnectionRegistry;
      access: DatasetAccess;
      logger: LoggerService;
      /** The consumer agents, the first that handles a file's name rewrites it. */
      agents: DatasetMigrationConsumerAgent[];
      /** Runs both sides of a rewritten read; without it, rewrites stay unproven. */
      verifyParity?: VerifyParity;
      /**
       * Whether rewritten writes are checked too, in transactions rolled back on both
       * sides (`datasetMigrations.consumers.parity.writes`); default true.
       */
      checksWrites?: boolean;
      pullRequests: GithubPullRequests;
      /** The app's base URL, for the link to the migration in pull requests. */
      appBaseUrl: string;
    },
  ) {}

  private async migration(id: string): Promise<MigrationRecord> {
    const record = await this.options.store.getMigration(id);
    if (!record) throw new NotFoundError(`No migration ${id}`);
    return record;
  }

  private async consumersOf(entityRef: string): Promise<Consumer[]> {
    const { catalog, integrations, auth } = this.options;
    return findConsumers(entityRef, {
      catalog,
      integrations,
      credentials: await auth.getOwnServiceCredentials(),
    });
  }

  async list(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<ConsumerReportList> {
    const record = await this.migration(id);
    await this.options.access.requireRead(credentials, record.entityRef);
    return { items: await this.options.reports.listReports(id) };
  }

  /** A person's "check again": the migrate permission, as it reads the dataset's databases. */
  async checkFor(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<ConsumerReportList> {
    const record = await this.migration(id);
    await this.options.access.requireMigrate(credentials, record.entityRef);
    return { items: await this.check(record) };
  }

  /**
   * The check a migration runs by itself once it is cut over: in the background, and a
   * failure is logged, never the migration's. The consumers come from the catalog
   * first: for a dataset nobody consumes (most of a campaign's) the migration is not
   * read back, only its reports cleared.
   */
  checkInBackground(migration: { id: string; entityRef: string }): void {
    const logger = this.options.logger.child({ migrationId: migration.id });
    this.consumersOf(migration.entityRef)
      .then(async consumers =>
        consumers.length === 0
          ? this.storeReports(migration.id, [])
          : this.check(await this.migration(migration.id), consumers),
      )
      .then(reports =>
        logger.info(
          `Checked ${reports.length} consumer(s): ${reports
            .map(r => `${r.entityRef} ${r.status}`)
            .join(', ')}`,
        ),
      )
      .catch(e => logger.warn(`Consumer check failed: ${safeErrorMessage(e)}`));
  }

  /**
   * Checks every consumer of the migration's dataset (given, or found in the catalog)
   * and stores the reports.
   */
  async check(
    record: MigrationRecord,
    found?: Consumer[],
  ): Promise<ConsumerReport[]> {
    const consumers = found ?? (await this.consumersOf(record.entityRef));
    // Earlier reports keep their pull request's link; without consumers none is read.
    const earlier = new Map(
      (consumers.length
        ? await this.options.reports.listReports(record.id)
        : []
      ).map(r => [r.entityRef, r]),
    );
    const parity = paritySides(record, this.options.connections);
    const move = consumerMove(record.plan);
    const reports = await mapBounded(
      consumers,
      CONSUMERS_AT_ONCE,
      async consumer => {
        const pullRequestUrl =
          earlier.get(consumer.entityRef)?.pullRequestUrl ?? null;
        const result = await this.readAndRewrite(consumer, file =>
          checkConsumerFile(file, {
            agent: agentFor(this.options.agents, file.url)!,
            move,
            baseUrl: consumer.baseUrl!,
            parity,
            verifyParity: this.options.verifyParity,
            checksWrites: this.options.checksWrites ?? true,
          }),
        );
        return consumerReport(consumer.entityRef, result, pullRequestUrl);
      },
    );
    return this.storeReports(record.id, reports);
  }

  private async storeReports(
    id: string,
    reports: ConsumerReport[],
  ): Promise<ConsumerReport[]> {
    await this.options.reports.replaceReports(id, reports);
    return reports;
  }

  /** Reads a consumer's files and checks those an agent handles; an error is the consumer's. */
  private async readAndRewrite(
    consumer: Consumer,
    check: (file: { url: string; text: string }) => Promise<ConsumerFile>,
  ): Promise<{ files: ConsumerFile[]; error?: string; isUnknown?: boolean }> {
    // No annotation or location, or no agent for its files: nothing is known of its
    // code, so the finalize gate cannot hold it (its report says why).
    if (consumer.error !== undefined) {
      return { files: [], error: consumer.error, isUnknown: true };
    }
    try {
      const read = await readConsumerFiles(
        this.options.urlReader,
        consumer.globUrl,
      );
      const handled = read.filter(f => agentFor(this.options.agents, f.url));
      if (handled.length === 0) {
        return {
          files: [],
          isUnknown: true,
          error: `${consumer.globUrl} matches no file a consumer agent reads (${
            read.length
          } file(s) found; agents: ${this.options.agents
            .map(a => a.id)
            .join(', ')})`,
        };
      }
      const files: ConsumerFile[] = [];
      for (const file of handled) files.push(await check(file));
      return { files };
    } catch (e) {
      return {
        files: [],
        error: `Its code could not be read from ${
          consumer.globUrl
        }: ${safeErrorMessage(e)}`,
      };
    }
  }

  /**
   * The finalize gate: the consumers whose code, read now, still names the old table
   * (or could not be read, so nobody knows). No parity runs: only the names matter.
   */
  async consumersOnOldName(
    record: MigrationRecord,
  ): Promise<ConsumerOnOldName[]> {
    const move = consumerMove(record.plan);
    const consumers = await this.consumersOf(record.entityRef);
    const found = await mapBounded(consumers, CONSUMERS_AT_ONCE, async c => {
      const result = await this.readAndRewrite(c, async file => {
        const agent = agentFor(this.options.agents, file.url)!;
        const rewrite = await agent.rewrite({ text: file.text, ...move });
        return {
          url: file.url,
          diff: null,
          statements: rewrite.statements.map(s => ({
            line: s.line,
            original: s.original,
            rewritten: s.rewritten,
            outcome: s.outcome,
            reason: s.reason,
          })),
        };
      });
      if (result.isUnknown) return undefined;
      if (result.error) return { entityRef: c.entityRef, where: result.error };
      if (!namesOldTable(result.files)) return undefined;
      const where = result.files
        .filter(f => namesOldTable([f]))
        .map(
          f =>
            `${decodeURIComponent(
              new URL(f.url).pathname.split('/').pop() ?? f.url,
            )} line ${f.statements
              .filter(s => s.outcome !== 'untouched')
              .map(s => s.line)
              .join(', ')}`,
        )
        .join('; ');
      return { entityRef: c.entityRef, where };
    });
    return found.filter((c): c is ConsumerOnOldName => Boolean(c));
  }

  private async report(id: string, entityRef: string): Promise<ConsumerReport> {
    const report = await this.options.reports.getReport(id, entityRef);
    if (!report) {
      throw new NotFoundError(
        `Migration ${id} has no report for consumer ${entityRef}; check its consumers first`,
      );
    }
    return report;
  }

  /** The consumer's patch: the diffs of its files, for `git apply`. */
  async patch(
    id: string,
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<string> {
    const record = await this.migration(id);
    await this.options.access.requireRead(credentials, record.entityRef);
    const report = await this.report(id, entityRef);
    const diffs = report.files.flatMap(f => (f.diff ? [f.diff] : []));
    if (diffs.length === 0) {
      throw new NotFoundError(
        `${entityRef} has no patch for migration ${id}: ${
          report.status === 'repointed'
            ? 'its code no longer names the old table'
            : 'nothing could be rewritten with certainty; see its report'
        }`,
      );
    }
    return diffs.join('');
  }

  /**
   * Opens a pull request with the consumer's patch where its code is on a GitHub
   * integration. The files are read again and the patch applied to what they hold now.
   */
  async openPullRequest(
    id: string,
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<ConsumerReport> {
    const { reports, pullRequests, urlReader } = this.options;
    const record = await this.migration(id);
    await this.options.access.requireMigrate(credentials, record.entityRef);
    const report = await this.report(id, entityRef);
    if (report.pullRequestUrl) {
      throw new ConflictError(
        `${entityRef} already has a pull request for migration ${id}: ${report.pullRequestUrl}`,
      );
    }
    const patched = report.files.filter(f => f.diff);
    if (patched.length === 0) {
      throw new ConflictError(
        `${entityRef} has nothing to change for migration ${id} (it is ${report.status}); there is no pull request to open`,
      );
    }
    if (!patched.every(f => pullRequests.supports(f.url))) {
      throw new InputError(
        `${entityRef}'s code is not on a configured GitHub integration (${patched[0].url}); download the patch instead`,
      );
    }
    const request = await pullRequestFor(record, report, {
      appBaseUrl: this.options.appBaseUrl,
      read: async url =>
        (await (await urlReader.readUrl(url)).buffer()).toString('utf8'),
    });
    const url = await pullRequests.open(request);
    await reports.setPullRequest(id, entityRef, url);
    return this.report(id, entityRef);
  }
}
