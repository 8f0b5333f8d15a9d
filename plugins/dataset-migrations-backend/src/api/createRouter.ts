import type { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import type { ConnectionRegistry } from '../connections/ConnectionRegistry';

export type RouterOptions = {
  httpAuth: HttpAuthService;
  connections: ConnectionRegistry;
};

/** The plugin's HTTP API: thin handlers that validate input and call services. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, connections } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Names and clients only: settings and secrets never leave the backend.
  router.get('/connections', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ items: connections.list() });
  });

  return router;
}
