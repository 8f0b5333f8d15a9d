import type {
  AuditorService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { MIGRATION_ACTIONS } from '@internal/backstage-plugin-dataset-migrations-common';
import express, { ErrorRequestHandler, RequestHandler } from 'express';
import Router from 'express-promise-router';
import type { ConnectionRegistry } from '../connections/ConnectionRegistry';
import type { MigrationHistory } from '../execute/MigrationHistory';
import type { MigrationService } from '../execute/MigrationService';
import type { DatasetAccess } from '../permissions/DatasetAccess';
import type { FleetService } from '../fleet/FleetService';
import type { CampaignService } from '../fleet/campaigns/CampaignService';
import { addCampaignRoutes } from './campaignRoutes';
import { addConsumerRoutes } from './consumerRoutes';
import type { ConsumerService } from '../consumers/ConsumerService';
import { addRolloutRoutes } from './rolloutRoutes';
import type { RolloutService } from '../fleet/rollouts/RolloutService';
import { isApiError, toApiError } from '../errors/apiErrors';
import { safeErrorMessage } from '../errors/safeErrorMessage';
import { PerUserLimiter } from '../limits/PerUserLimiter';
import { createOpenApiRouter, spec } from '../schema/openapi';
import { streamMigrationEvents } from './eventStream';
import { tableExistence } from './tableExistence';
import { explainSpecRefusal } from './specErrors';
import { withAudit } from './withAudit';
import {
  listQuerySchema,
  migrationIdSchema,
  migrationRequestSchema,
  normalizeEntityRef,
  parseInput,
  parseLocationInput,
  planRequestSchema,
} from './validation';

export type RouterOptions = {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  connections: ConnectionRegistry;
  migrations: MigrationService;
  history: MigrationHistory;
  /** Permission checks of routes that read a dataset outside its history. */
  access: DatasetAccess;
  fleet: FleetService;
  campaigns: CampaignService;
  rollouts: RolloutService;
  consumers: ConsumerService;
  /** Event streams one user may hold open on this instance (default 10). */
  eventStreamsPerUser?: number;
};

const parsedAbove: RequestHandler = (_req, _res, next) => next();

/**
 * The plugin's HTTP API: thin handlers that validate input and call services.
 *
 * Every route is described in src/schema/openapi.yaml, and the router comes from it:
 * each request is validated against the spec before its handler runs (a violation is a
 * 400 naming the field), and each handler's path, params, body and answer are typed
 * from the spec. What the spec cannot say (no control characters, entity refs in their
 * canonical form, messages that say what to do, steps that rise) stays in ./validation
 * and its siblings. To add a route: describe it in the spec, run `yarn
 * generate:openapi` at the repository root, then add its handler here (or, for a
 * group of routes, in its own file as ./campaignRoutes and ./rolloutRoutes); a handler
 * for a path or method the spec lacks does not compile.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    auditor,
    connections,
    migrations,
    history,
    access,
    fleet,
    campaigns,
    rollouts,
    consumers,
    logger,
  } = options;
  const streams = new PerUserLimiter(
    options.eventStreamsPerUser ?? 10,
    limit =>
      `you already have ${limit} event stream(s) open; close a migration page or tab, then try again (limit: datasetMigrations.limits.eventStreamsPerUser)`,
  );
  // The body is parsed before the spec's router so that the parser's refusals (malformed
  // JSON, over 1 MB) reach safeErrors as they are: the spec's router would turn them
  // into a 400 quoting the parser's text.
  const router = Router();
  router.use(express.json({ limit: '1mb' }));
  const api = await createOpenApiRouter({ middleware: [parsedAbove] });
  router.use(api);
  addCampaignRoutes(api, { httpAuth, auditor, campaigns });
  addRolloutRoutes(api, { httpAuth, auditor, rollouts });
  // The typed router's requests carry the spec's query types (limit is a number).
  type AnyRequest = Parameters<HttpAuthService['credentials']>[0];
  const anyone = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const person = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user'] });

  api.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Names and clients only: settings and secrets never leave the backend.
  api.get('/connections', async (req, res) => {
    await anyone(req);
    res.json({ items: connections.list() });
  });

  api.post('/plans', async (req, res) => {
    const credentials = await anyone(req);
    const entityRef = normalizeEntityRef(
      parseInput(planRequestSchema, req.body, 'request body').entityRef,
      'entityRef',
    );
    res.json({ plan: await migrations.previewPlan(entityRef, credentials) });
  });

  api.post('/migrations', async (req, res) => {
    const credentials = await person(req);
    const { entityRef, planHash } = parseInput(
      migrationRequestSchema,
      req.body,
      'request body',
    );
    const migration = await withAudit(
      auditor,
      req,
      {
        eventId: 'migration-trigger',
        severityLevel: 'medium',
        meta: { entityRef, planHash },
      },
      () => migrations.start(entityRef, planHash, credentials),
      started => ({ migrationId: started.id }),
    );
    res.status(202).json({ migration });
    migrations.wakeWorkers();
  });

  api.get('/migrations', async (req, res) => {
    const credentials = await anyone(req);
    const query = parseInput(listQuerySchema, req.query, 'query');
    res.json(await history.list(query, credentials));
  });

  api.get('/migrations/stats', async (req, res) => {
    const credentials = await anyone(req);
    const {
      limit: _l,
      cursor: _c,
      orderBy: _o,
      order: _d,
      ...filters
    } = parseInput(listQuerySchema, req.query, 'query');
    res.json(await history.stats(filters, credentials));
  });

  api.get('/migrations/:id', async (req, res) => {
    const credentials = await anyone(req);
    const id = parseInput(migrationIdSchema, req.params.id, 'migration id');
    res.json({ migration: await history.get(id, credentials) });
  });

  api.get('/dataset-new-home', async (req, res) => {
    const credentials = await anyone(req);
    const entityRef = normalizeEntityRef(req.query.entityRef, 'entityRef');
    const location = parseLocationInput(req.query.location, 'location');
    const newHome = await history.newHome(entityRef, location, credentials);
    res.json({ newHome: newHome ?? null });
  });

  // Its own route rather than part of the new home: the catalog processor asks the new
  // home of every dataset, and should not ask every connection on each pass.
  api.get('/dataset-table', async (req, res) => {
    const credentials = await anyone(req);
    const entityRef = normalizeEntityRef(req.query.entityRef, 'entityRef');
    const location = parseLocationInput(req.query.location, 'location');
    await access.requireRead(credentials, entityRef);
    res.json({ table: await tableExistence(connections, location) });
  });

  api.get('/migrations/:id/events', async (req, res) => {
    const credentials = await anyone(req);
    const id = parseInput(migrationIdSchema, req.params.id, 'migration id');
    const events = await history.events(id, credentials);
    const release = streams.acquire(credentials);
    try {
      await streamMigrationEvents(events, req, res);
    } finally {
      release();
    }
  });

  // Finalize has a body (the consumer gate's override): ./consumerRoutes.
  addConsumerRoutes(api, { httpAuth, auditor, consumers, migrations });
  for (const action of MIGRATION_ACTIONS.filter(a => a !== 'finalize')) {
    api.post(`/migrations/:id/${action}`, async (req, res) => {
      const credentials = await person(req);
      const id = parseInput(migrationIdSchema, req.params.id, 'migration id');
      const migration = await withAudit(
        auditor,
        req,
        {
          eventId: `migration-${action}`,
          severityLevel: action === 'rollback' ? 'high' : 'medium',
          meta: { migrationId: id },
        },
        () => migrations.act(id, action, credentials),
        acted => ({ entityRef: acted.entityRef, status: acted.status }),
      );
      res.json({ migration });
    });
  }

  api.get('/fleet', async (req, res) => {
    const credentials = await anyone(req);
    res.json(await fleet.overview(credentials));
  });

  api.get('/fleet/workers', async (req, res) => {
    const credentials = await anyone(req);
    res.json({ items: await fleet.listWorkers(credentials) });
  });

  // Backstage's error handler serializes the message and every property of an error
  // (a driver's `detail`, a TypeError's `input`, a `cause`): what leaves here is the
  // plugin's own message, or a driver's made safe; a request the spec refuses is
  // answered in the plugin's words (./specErrors).
  const safeErrors: ErrorRequestHandler = (thrown, req, _res, next) => {
    const error = explainSpecRefusal(thrown, req, spec) as any;
    if (!isApiError(error)) {
      logger.error(
        `${req.method} ${req.path} failed: ${safeErrorMessage(error)}`,
        { errorName: error?.name, errorCode: error?.code },
      );
    }
    next(toApiError(error));
  };
  router.use(safeErrors);

  return router;
}
