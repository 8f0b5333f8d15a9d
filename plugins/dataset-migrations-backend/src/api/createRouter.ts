import type {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  datasetMigrationsAdminPermission,
  MIGRATION_ACTIONS,
} from '@internal/backstage-plugin-dataset-migrations-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import type { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { MigrationService, toApiMigration } from '../execute/MigrationService';
import type { PlanService } from '../plan/PlanService';
import type { MigrationStore } from '../store/MigrationStore';
import { streamMigrationEvents } from './eventStream';
import {
  listQuerySchema,
  migrationIdSchema,
  migrationRequestSchema,
  parseInput,
  planRequestSchema,
} from './validation';

export type RouterOptions = {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  permissions: PermissionsService;
  connections: ConnectionRegistry;
  plans: PlanService;
  migrations: MigrationService;
  store: MigrationStore;
  /** How long a worker's heartbeat counts as alive in the fleet view. */
  workerAliveMs: number;
};

/** The plugin's HTTP API: thin handlers that validate input and call services. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, auditor, connections, plans, migrations, store } = options;
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
    const { entityRef } = parseInput(
      planRequestSchema,
      req.body,
      'request body',
    );
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

  router.get('/migrations', async (req, res) => {
    await anyone(req);
    res.json(
      await store.listMigrations(
        parseInput(listQuerySchema, req.query, 'query'),
      ),
    );
  });

  router.get('/migrations/stats', async (req, res) => {
    await anyone(req);
    const {
      limit: _l,
      cursor: _c,
      ...filters
    } = parseInput(listQuerySchema, req.query, 'query');
    res.json(await store.getStats(filters));
  });

  router.get('/migrations/:id', async (req, res) => {
    await anyone(req);
    const id = parseInput(migrationIdSchema, req.params.id, 'migration id');
    res.json({ migration: toApiMigration(await migrations.get(id)) });
  });

  router.get('/migrations/:id/events', async (req, res) => {
    await anyone(req);
    const id = parseInput(migrationIdSchema, req.params.id, 'migration id');
    await migrations.get(id);
    await streamMigrationEvents(store, id, req, res);
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
    const [decision] = await options.permissions.authorize(
      [{ permission: datasetMigrationsAdminPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        'Only fleet administrators can see the workers',
      );
    }
    res.json({ items: await store.listWorkers(options.workerAliveMs) });
  });

  return router;
}
