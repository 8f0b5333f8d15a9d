import type {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  datasetMigrationReadPermission,
  MIGRATION_ACTIONS,
} from '@internal/backstage-plugin-dataset-migrations-common';
import express, { ErrorRequestHandler, Request } from 'express';
import Router from 'express-promise-router';
import type { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { MigrationService, toApiMigration } from '../execute/MigrationService';
import type { PlanService } from '../plan/PlanService';
import { isApiError, toApiError } from '../errors/apiErrors';
import { safeErrorMessage } from '../errors/safeErrorMessage';
import { PerUserLimiter } from '../limits/PerUserLimiter';
import type { MigrationStore } from '../store/MigrationStore';
import { DatasetAccess } from './datasetAccess';
import { streamMigrationEvents } from './eventStream';
import {
  listQuerySchema,
  migrationIdSchema,
  migrationRequestSchema,
  parseInput,
  planRequestSchema,
} from './validation';

export type RouterOptions = {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  permissions: PermissionsService;
  connections: ConnectionRegistry;
  plans: PlanService;
  migrations: MigrationService;
  store: MigrationStore;
  /** How long a worker's heartbeat counts as alive in the fleet view. */
  workerAliveMs: number;
  /** Event streams one user may hold open on this instance (default 10). */
  eventStreamsPerUser?: number;
};

/** A dataset's entity ref as the store keeps it, or an InputError naming the field. */
function normalizeEntityRef(entityRef: string, field: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(entityRef));
  } catch {
    throw new InputError(
      `${field} "${entityRef.slice(
        0,
        200,
      )}" is not an entity reference such as resource:default/orders`,
    );
  }
}

/** The plugin's HTTP API: thin handlers that validate input and call services. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, auditor, connections, plans, migrations, store, logger } =
    options;
  const access = new DatasetAccess(options.permissions);
  const streams = new PerUserLimiter(
    options.eventStreamsPerUser ?? 10,
    limit =>
      `you already have ${limit} event stream(s) open; close a migration page or tab, then try again (limit: datasetMigrations.limits.eventStreamsPerUser)`,
  );
  const router = Router();
  router.use(express.json({ limit: '1mb' }));
  const anyone = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const person = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user'] });

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Names and clients only: settings and secrets never leave the backend.
  router.get('/connections', async (req, res) => {
    await anyone(req);
    res.json({ items: connections.list() });
  });

  router.post('/plans', async (req, res) => {
    const credentials = await anyone(req);
    const entityRef = normalizeEntityRef(
      parseInput(planRequestSchema, req.body, 'request body').entityRef,
      'entityRef',
    );
    await access.requirePlan(credentials, entityRef);
    res.json({ plan: await plans.createPlan(entityRef, credentials) });
  });

  router.post('/migrations', async (req, res) => {
    const credentials = await person(req);
    const { entityRef, planHash } = parseInput(
      migrationRequestSchema,
      req.body,
      'request body',
    );
    const audit = await auditor.createEvent({
      eventId: 'migration-trigger',
      severityLevel: 'medium',
      request: req,
      meta: { entityRef, planHash },
    });
    try {
      const migration = await migrations.start(
        entityRef,
        planHash,
        credentials,
      );
      await audit.success({ meta: { migrationId: migration.id } });
      res.status(202).json({ migration });
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  // A page holds only the migrations of datasets the caller may read (one
  // authorize request for the page's distinct datasets); it may come out shorter than
  // `limit` while `nextCursor` still leads on.
  router.get('/migrations', async (req, res) => {
    const credentials = await anyone(req);
    const page = await store.listMigrations(
      parseInput(listQuerySchema, req.query, 'query'),
    );
    const readable = await access.allowedRefs(
      credentials,
      datasetMigrationReadPermission,
      page.items.map(m => m.entityRef),
    );
    res.json({
      ...page,
      items: page.items.filter(m => readable.has(m.entityRef)),
    });
  });

  router.get('/migrations/stats', async (req, res) => {
    const credentials = await anyone(req);
    const {
      limit: _l,
      cursor: _c,
      ...filters
    } = parseInput(listQuerySchema, req.query, 'query');
    if (filters.entityRef) {
      await access.requireRead(credentials, filters.entityRef);
    } else if (!(await access.canReadAll(credentials))) {
      throw new NotAllowedError(
        `Stats across all datasets need permission ${datasetMigrationReadPermission.name} on every dataset; ask for stats of one dataset with ?entityRef=`,
      );
    }
    res.json(await store.getStats(filters));
  });

  router.get('/migrations/:id', async (req, res) => {
    const credentials = await anyone(req);
    const id = parseInput(migrationIdSchema, req.params.id, 'migration id');
    const record = await migrations.get(id);
    await access.requireRead(credentials, record.entityRef);
    res.json({ migration: toApiMigration(record) });
  });

  router.get('/migrations/:id/events', async (req, res) => {
    const credentials = await anyone(req);
    const id = parseInput(migrationIdSchema, req.params.id, 'migration id');
    const record = await migrations.get(id);
    await access.requireRead(credentials, record.entityRef);
    const release = streams.acquire(credentials);
    try {
      await streamMigrationEvents(store, id, req, res);
    } finally {
      release();
    }
  });

  for (const action of MIGRATION_ACTIONS) {
    router.post(`/migrations/:id/${action}`, async (req, res) => {
      const credentials = await person(req);
      const id = parseInput(migrationIdSchema, req.params.id, 'migration id');
      const audit = await auditor.createEvent({
        eventId: `migration-${action}`,
        severityLevel:
          action === 'finalize' || action === 'rollback' ? 'high' : 'medium',
        request: req,
        meta: { migrationId: id },
      });
      try {
        const migration = await migrations.act(id, action, credentials);
        await audit.success({
          meta: { entityRef: migration.entityRef, status: migration.status },
        });
        res.json({ migration });
      } catch (error) {
        await audit.fail({ error: error as Error });
        throw error;
      }
    });
  }

  router.get('/fleet/workers', async (req, res) => {
    const credentials = await anyone(req);
    await access.requireAdmin(credentials, 'see the workers');
    res.json({ items: await store.listWorkers(options.workerAliveMs) });
  });

  // Backstage's error handler serializes the message and every property of an error
  // (a driver's `detail`, a TypeError's `input`, a `cause`): what leaves here is the
  // plugin's own message, or a driver's made safe.
  const safeErrors: ErrorRequestHandler = (error, req, _res, next) => {
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
