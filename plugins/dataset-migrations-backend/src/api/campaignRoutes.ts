import type {
  AuditorService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { CAMPAIGN_ACTIONS } from '@internal/backstage-plugin-dataset-migrations-common';
import type { Request, Router } from 'express';
import type { CampaignService } from '../fleet/campaigns/CampaignService';
import {
  approvalSchema,
  campaignDatasetQuerySchema,
  campaignIdSchema,
  datasetCampaignsQuerySchema,
  declineSchema,
  newCampaignSchema,
} from './campaignValidation';
import { normalizeEntityRef, parseInput } from './validation';
import { withAudit } from './withAudit';

/**
 * `/campaigns…` and `/dataset-campaigns`: every signed-in user reads campaigns; the
 * service checks the admin permission for changes and the dataset's migrate
 * permission for an owner's approval. Every change is one auditor event.
 */
export function addCampaignRoutes(
  router: Router,
  options: {
    httpAuth: HttpAuthService;
    auditor: AuditorService;
    campaigns: CampaignService;
  },
): void {
  const { httpAuth, auditor, campaigns } = options;
  const anyone = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const person = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user'] });
  const idOf = (req: Request) =>
    parseInput(campaignIdSchema, req.params.id, 'campaign id');

  router.get('/campaigns', async (req, res) => {
    await anyone(req);
    res.json({ items: await campaigns.list() });
  });

  router.post('/campaigns', async (req, res) => {
    const credentials = await person(req);
    const request = parseInput(newCampaignSchema, req.body, 'request body');
    if (request.dryRun) {
      res.json(await campaigns.create(request, credentials));
      return;
    }
    const created = await withAudit(
      auditor,
      req,
      {
        eventId: 'campaign-create',
        severityLevel: 'high',
        meta: {
          name: request.name,
          selector: request.selector,
          mode: request.mode,
          pacing: request.pacing,
          failureBudget: request.failureBudget,
        },
      },
      () => campaigns.create(request, credentials),
      result => ({
        campaignId: result.campaign?.id,
        matched: result.dryRun.matched,
      }),
    );
    res.status(201).json(created);
  });

  router.get('/campaigns/:id', async (req, res) => {
    await anyone(req);
    res.json({ campaign: await campaigns.get(idOf(req)) });
  });

  router.get('/campaigns/:id/datasets', async (req, res) => {
    await anyone(req);
    const query = parseInput(campaignDatasetQuerySchema, req.query, 'query');
    res.json(await campaigns.listDatasets(idOf(req), query));
  });

  router.get('/dataset-campaigns', async (req, res) => {
    await anyone(req);
    const { entityRef } = parseInput(
      datasetCampaignsQuerySchema,
      req.query,
      'query',
    );
    res.json({
      items: await campaigns.membershipsOf(
        normalizeEntityRef(entityRef, 'entityRef'),
      ),
    });
  });

  for (const action of CAMPAIGN_ACTIONS) {
    router.post(`/campaigns/:id/${action}`, async (req, res) => {
      const credentials = await person(req);
      const id = idOf(req);
      const result = await withAudit(
        auditor,
        req,
        {
          eventId: `campaign-${action}`,
          severityLevel:
            action === 'cancel' || action === 'finalize' ? 'high' : 'medium',
          meta: { campaignId: id },
        },
        () => campaigns.act(id, action, credentials),
        acted => ({ status: acted.campaign.status, affected: acted.affected }),
      );
      res.json(result);
    });
  }

  router.post('/campaigns/:id/approve', async (req, res) => {
    const credentials = await person(req);
    const id = idOf(req);
    const body = parseInput(approvalSchema, req.body, 'request body');
    const entityRef = normalizeEntityRef(body.entityRef, 'entityRef');
    const dataset = await withAudit(
      auditor,
      req,
      {
        eventId: 'campaign-approve',
        severityLevel: 'medium',
        meta: { campaignId: id, entityRef, planHash: body.planHash },
      },
      () => campaigns.approve(id, entityRef, body.planHash, credentials),
      approved => ({ state: approved.state }),
    );
    res.json({ dataset });
  });

  router.post('/campaigns/:id/decline', async (req, res) => {
    const credentials = await person(req);
    const id = idOf(req);
    const body = parseInput(declineSchema, req.body, 'request body');
    const entityRef = normalizeEntityRef(body.entityRef, 'entityRef');
    const dataset = await withAudit(
      auditor,
      req,
      {
        eventId: 'campaign-decline',
        severityLevel: 'medium',
        meta: { campaignId: id, entityRef },
      },
      () => campaigns.decline(id, entityRef, credentials),
      declined => ({ state: declined.state }),
    );
    res.json({ dataset });
  });
}
