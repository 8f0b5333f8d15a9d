import type {
  AuditorService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import type { TypedRouter } from '@backstage/backend-openapi-utils';
import { CAMPAIGN_ACTIONS } from '@internal/backstage-plugin-dataset-migrations-common';
import type { CampaignService } from '../fleet/campaigns/CampaignService';
import type { EndpointMap } from '../schema/openapi';
import {
  campaignDatasetQueryText,
  datasetText,
  newCampaignText,
} from './campaignValidation';
import { normalizeEntityRef, parseInput } from './validation';
import { withAudit } from './withAudit';

/**
 * `/campaigns…` and `/dataset-campaigns`, on the spec's router: the spec has validated
 * each request (ids are UUIDs, bodies have their shape and bounds) before a handler
 * runs; ./campaignValidation checks what it cannot. Every signed-in user reads
 * campaigns; the service checks the admin permission for changes and the dataset's
 * migrate permission for an owner's approval. Every change is one auditor event.
 */
export function addCampaignRoutes(
  api: TypedRouter<EndpointMap>,
  options: {
    httpAuth: HttpAuthService;
    auditor: AuditorService;
    campaigns: CampaignService;
  },
): void {
  const { httpAuth, auditor, campaigns } = options;
  // The typed router's requests carry the spec's query types.
  type AnyRequest = Parameters<HttpAuthService['credentials']>[0];
  const anyone = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const person = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user'] });
  const datasetOf = (body: unknown) =>
    normalizeEntityRef(
      parseInput(datasetText, body, 'request body').entityRef,
      'entityRef',
    );

  api.get('/campaigns', async (req, res) => {
    await anyone(req);
    res.json({ items: await campaigns.list() });
  });

  api.post('/campaigns', async (req, res) => {
    const credentials = await person(req);
    const request = req.body;
    parseInput(newCampaignText, request, 'request body');
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

  api.get('/campaigns/:id', async (req, res) => {
    await anyone(req);
    res.json({ campaign: await campaigns.get(req.params.id) });
  });

  api.get('/campaigns/:id/datasets', async (req, res) => {
    await anyone(req);
    parseInput(campaignDatasetQueryText, req.query, 'query');
    const { state, owner, search, orderBy, order, limit, cursor } = req.query;
    res.json(
      await campaigns.listDatasets(req.params.id, {
        state,
        owner,
        search,
        orderBy,
        order,
        // The validator has checked it is a whole number; the query holds text.
        limit: limit === undefined ? undefined : Number(limit),
        cursor,
      }),
    );
  });

  api.get('/dataset-campaigns', async (req, res) => {
    await anyone(req);
    const { entityRef } = parseInput(datasetText, req.query, 'query');
    res.json({
      items: await campaigns.membershipsOf(
        normalizeEntityRef(entityRef, 'entityRef'),
      ),
    });
  });

  for (const action of CAMPAIGN_ACTIONS) {
    api.post(`/campaigns/:id/${action}`, async (req, res) => {
      const credentials = await person(req);
      const id = req.params.id;
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

  api.post('/campaigns/:id/approve', async (req, res) => {
    const credentials = await person(req);
    const id = req.params.id;
    const entityRef = datasetOf(req.body);
    const { planHash } = req.body;
    const dataset = await withAudit(
      auditor,
      req,
      {
        eventId: 'campaign-approve',
        severityLevel: 'medium',
        meta: { campaignId: id, entityRef, planHash },
      },
      () => campaigns.approve(id, entityRef, planHash, credentials),
      approved => ({ state: approved.state }),
    );
    res.json({ dataset });
  });

  api.post('/campaigns/:id/decline', async (req, res) => {
    const credentials = await person(req);
    const id = req.params.id;
    const entityRef = datasetOf(req.body);
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
