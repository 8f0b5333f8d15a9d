import type {
  AuditorService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import type { Request, Router } from 'express';
import type { RolloutService } from '../fleet/rollouts/RolloutService';
import { newRolloutSchema, rolloutIdSchema } from './rolloutValidation';
import { parseInput } from './validation';
import { withAudit } from './withAudit';

/**
 * `/agents` and `/rollouts…`: everyone signed in reads them; starting and aborting need
 * the admin permission (checked by the service). Each change is one auditor event; the
 * gates' own decisions are audited where they are made.
 */
export function addRolloutRoutes(
  router: Router,
  options: {
    httpAuth: HttpAuthService;
    auditor: AuditorService;
    rollouts: RolloutService;
  },
): void {
  const { httpAuth, auditor, rollouts } = options;
  const anyone = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const person = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user'] });

  router.get('/agents', async (req, res) => {
    await anyone(req);
    res.json({ items: await rollouts.listAgents() });
  });

  router.get('/rollouts', async (req, res) => {
    await anyone(req);
    res.json({ items: await rollouts.list() });
  });

  router.post('/rollouts', async (req, res) => {
    const credentials = await person(req);
    const request = parseInput(newRolloutSchema, req.body, 'request body');
    const rollout = await withAudit(
      auditor,
      req,
      {
        eventId: 'rollout-create',
        severityLevel: 'high',
        meta: { ...request },
      },
      () => rollouts.create(request, credentials),
      created => ({ rolloutId: created.id, stable: created.stableVersion }),
    );
    res.status(201).json({ rollout });
  });

  router.get('/rollouts/:id', async (req, res) => {
    await anyone(req);
    const id = parseInput(rolloutIdSchema, req.params.id, 'rollout id');
    res.json({ rollout: await rollouts.get(id) });
  });

  router.post('/rollouts/:id/abort', async (req, res) => {
    const credentials = await person(req);
    const id = parseInput(rolloutIdSchema, req.params.id, 'rollout id');
    const rollout = await withAudit(
      auditor,
      req,
      {
        eventId: 'rollout-abort-request',
        severityLevel: 'high',
        meta: { rolloutId: id },
      },
      () => rollouts.abort(id, credentials),
      aborted => ({ status: aborted.status }),
    );
    res.json({ rollout });
  });
}
