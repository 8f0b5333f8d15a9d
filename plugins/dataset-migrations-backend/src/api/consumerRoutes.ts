import type {
  AuditorService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { z } from 'zod';
import type { ConsumerService } from '../consumers/ConsumerService';
import type { MigrationService } from '../execute/MigrationService';
import type { createOpenApiRouter } from '../schema/openapi';
import {
  migrationIdSchema,
  normalizeEntityRef,
  parseInput,
  text,
} from './validation';
import { withAudit } from './withAudit';

type ApiRouter = Awaited<ReturnType<typeof createOpenApiRouter>>;
type AnyRequest = Parameters<HttpAuthService['credentials']>[0];

const finalizeRequestSchema = z
  .object({ overrideConsumers: z.boolean().optional() })
  .strict();

/**
 * `/migrations/:id/consumers…` and finalize behind the consumer gate: reports are read
 * with the dataset's read permission; checks, pull requests and finalize need its
 * migrate permission (the services ask). Pull requests and finalize are auditor events;
 * an overridden gate lists the consumers it overrode.
 */
export function addConsumerRoutes(
  api: ApiRouter,
  options: {
    httpAuth: HttpAuthService;
    auditor: AuditorService;
    consumers: ConsumerService;
    migrations: MigrationService;
  },
): void {
  const { httpAuth, auditor, consumers, migrations } = options;
  const anyone = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const person = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user'] });
  const idOf = (req: { params: { id: string } }) =>
    parseInput(migrationIdSchema, req.params.id, 'migration id');
  const consumerOf = (req: { params: { consumer: string } }) =>
    normalizeEntityRef(
      parseInput(text(), req.params.consumer, 'consumer'),
      'consumer',
    );

  api.get('/migrations/:id/consumers', async (req, res) => {
    const credentials = await anyone(req);
    res.json(await consumers.list(idOf(req), credentials));
  });

  api.post('/migrations/:id/consumers/check', async (req, res) => {
    const credentials = await person(req);
    res.json(await consumers.checkFor(idOf(req), credentials));
  });

  api.post(
    '/migrations/:id/consumers/:consumer/pull-request',
    async (req, res) => {
      const credentials = await person(req);
      const id = idOf(req);
      const consumer = consumerOf(req);
      const report = await withAudit(
        auditor,
        req,
        {
          eventId: 'consumer-pull-request',
          severityLevel: 'medium',
          meta: { migrationId: id, consumer },
        },
        () => consumers.openPullRequest(id, consumer, credentials),
        opened => ({ pullRequestUrl: opened.pullRequestUrl }),
      );
      res.json({ report });
    },
  );

  api.get('/migrations/:id/consumers/:consumer/patch', async (req, res) => {
    const credentials = await anyone(req);
    const id = idOf(req);
    const consumer = consumerOf(req);
    const patch = await consumers.patch(id, consumer, credentials);
    const name = consumer.replace(/[^A-Za-z0-9._-]+/g, '-');
    // attachment() types the answer by the file's extension: the type goes after it.
    res
      .attachment(`${name}-${id.slice(0, 8)}.patch`)
      .type('text/x-diff')
      .send(patch);
  });

  api.post('/migrations/:id/finalize', async (req, res) => {
    const credentials = await person(req);
    const id = idOf(req);
    const { overrideConsumers } = parseInput(
      finalizeRequestSchema,
      req.body,
      'request body',
    );
    const { migration } = await withAudit(
      auditor,
      req,
      {
        eventId: 'migration-finalize',
        severityLevel: 'high',
        meta: {
          migrationId: id,
          overrideConsumers: overrideConsumers ?? false,
        },
      },
      () => migrations.finalize(id, credentials, { overrideConsumers }),
      finalized => ({
        entityRef: finalized.migration.entityRef,
        status: finalized.migration.status,
        ...(finalized.overriddenConsumers.length > 0
          ? {
              overriddenConsumers: finalized.overriddenConsumers.map(
                c => c.entityRef,
              ),
            }
          : {}),
      }),
    );
    res.json({ migration });
  });
}
