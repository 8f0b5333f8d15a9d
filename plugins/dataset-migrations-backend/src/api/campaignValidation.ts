import { z } from 'zod';
import { entityRef, text } from './validation';

/**
 * What the spec (src/schema/openapi.yaml) cannot say about the campaign routes,
 * checked after it: their text holds no control characters (a NUL byte would reach
 * PostgreSQL as a 500). Shapes, bounds and enums are the spec's alone; its refusals
 * are worded by ./specErrors.
 */

const texts = z.array(text()).optional();

export const newCampaignText = z.object({
  name: text(),
  selector: z.object({
    owners: texts,
    connections: texts,
    schemas: texts,
    tags: texts,
    systems: texts,
    nameGlob: text().optional(),
  }),
  agentId: text().optional(),
});

export const campaignDatasetQueryText = z.object({
  owner: text().optional(),
  search: text().optional(),
  cursor: text().optional(),
});

/** `entityRef` of GET /dataset-campaigns and of an owner's approval or decline. */
export const datasetText = z.object({ entityRef });
