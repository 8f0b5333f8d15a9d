import {
  CAMPAIGN_DATASET_STATES,
  CAMPAIGN_MODES,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { z } from 'zod';
import { entityRef, text } from './validation';

const refs = (example: string) =>
  z
    .array(text(), { error: `must be a list such as ["${example}"]` })
    .max(100, 'must have at most 100 entries')
    .optional();

export const newCampaignSchema = z
  .object({
    name: text(
      'is required: a name people will recognise, e.g. "Move warehouse to Postgres"',
    ).refine(v => v.length <= 200, 'must be at most 200 characters'),
    selector: z
      .object(
        {
          owners: refs('group:default/data-platform'),
          connections: refs('warehouse'),
          schemas: refs('public'),
          tags: refs('pii'),
          systems: refs('system:default/analytics'),
          nameGlob: text().optional(),
        },
        {
          error:
            'is required: which datasets, e.g. {"owners": ["group:default/data-platform"]}',
        },
      )
      .strict(),
    agentId: text().optional(),
    mode: z.enum(CAMPAIGN_MODES, {
      error: `must be one of ${CAMPAIGN_MODES.join(', ')}`,
    }),
    pacing: z
      .object(
        {
          maxRunning: z
            .number({ error: 'must be a whole number of migrations' })
            .int('must be a whole number')
            .min(1, 'must be at least 1')
            .max(1000, 'must be at most 1000'),
          startsPerMinute: z
            .number({ error: 'must be a whole number of starts per minute' })
            .int('must be a whole number')
            .min(1, 'must be at least 1')
            .max(10_000, 'must be at most 10000'),
        },
        { error: 'is required: {"maxRunning": 4, "startsPerMinute": 60}' },
      )
      .strict(),
    failureBudget: z
      .object(
        {
          window: z
            .number({ error: 'must be a whole number of migrations' })
            .int('must be a whole number')
            .min(1, 'must be at least 1')
            .max(10_000, 'must be at most 10000'),
          maxFailureRate: z
            .number({ error: 'must be a share between 0 and 1, e.g. 0.1' })
            .min(0, 'must be at least 0')
            .max(1, 'must be at most 1 (a share, not a percentage)'),
        },
        { error: 'is required: {"window": 20, "maxFailureRate": 0.1}' },
      )
      .strict(),
    dryRun: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .strict();

export const campaignIdSchema = z.uuid({
  error: 'must be a campaign id (a UUID)',
});

export const campaignDatasetQuerySchema = z
  .object({
    state: z
      .enum(CAMPAIGN_DATASET_STATES, {
        error: `must be one of ${CAMPAIGN_DATASET_STATES.join(', ')}`,
      })
      .optional(),
    owner: text().optional(),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(200, 'must be at most 200')
      .optional(),
    cursor: text().optional(),
  })
  .strict();

export const datasetCampaignsQuerySchema = z.object({ entityRef }).strict();

export const approvalSchema = z
  .object({
    entityRef,
    planHash: z
      .string({ error: 'is required: the hash of the plan you reviewed' })
      .regex(
        /^[0-9a-f]{64}$/,
        'must be the 64-character hex hash of the reviewed plan',
      ),
  })
  .strict();

export const declineSchema = z.object({ entityRef }).strict();
