import type {
  AuditorService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import type { TypedRouter } from '@backstage/backend-openapi-utils';
import type { RolloutService } from '../fleet/rollouts/RolloutService';
import type { EndpointMap } from '../schema/openapi';
import { newRolloutChecks } from './rolloutValidation';
import { parseInput } from './validation';
import { withAudit } from './withAudit';

/**
 * `/agents` and `/rollouts…`, on the spec's router: the spec has validated each
 * request before a handler runs; ./rolloutValidation checks what it cannot (steps
 * that rise to 100). Everyone signed in reads them; starting and aborting need the
 * admin permission (checked by the service). Each change is one auditor event; the
 * gates' own decisions are audited where they are made.
 */
export function addRolloutRoutes(
  api: TypedRouter<EndpointMap>,
  options: {
    httpAuth: HttpAuthService;
    auditor: AuditorService;
    rollouts: RolloutService;
  },
): void {
  const { httpAuth, auditor, rollouts } = options;
  type AnyRequest = Parameters<HttpAuthService['credentials']>[0];
  const anyone = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const person = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user'] });

  api.get('/agents', async (req, res) => {
    await anyone(req);
    res.json({ items: await rollouts.listAgents() });
  });

  api.get('/rollouts', async (req, res) => {
    await anyone(req);
    res.json({ items: await rollouts.list() });
  });

  api.post('/rollouts', async (req, res) => {
    const credentials = await person(req);
    const request = req.body;
    parseInput(newRolloutChecks, request, 'request body');
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

  api.get('/rollouts/:id', async (req, res) => {
    await anyone(req);
    res.json({ rollout: await rollouts.get(req.params.id) });
  });

  api.post('/rollouts/:id/abort', async (req, res) => {
    const credentials = await person(req);
    const id = req.params.id;
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
