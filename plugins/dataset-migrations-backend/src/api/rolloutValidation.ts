import { z } from 'zod';
import { text } from './validation';

const share = (what: string) =>
  z
    .number({ error: `must be a number between 0 and 1 (${what})` })
    .min(0, 'must be at least 0')
    .max(1, 'must be at most 1 (a share, not a percentage)');

export const newRolloutSchema = z
  .object({
    agentId: text('is required: the agent to roll out, e.g. "sql"'),
    candidateVersion: text(
      'is required: the registered version to roll out, e.g. "1.4.0"',
    ),
    steps: z
      .array(
        z
          .number({ error: 'must be a percentage' })
          .int('must be a whole percentage')
          .min(1, 'must be at least 1')
          .max(100, 'must be at most 100'),
        {
          error:
            'is required: traffic shares in percent, e.g. [5, 25, 50, 100]',
        },
      )
      .min(1, 'must have at least one step')
      .max(20, 'must have at most 20 steps')
      .refine(
        steps => steps.every((s, i) => i === 0 || s > steps[i - 1]),
        'must rise step by step, e.g. [5, 25, 50, 100]',
      )
      .refine(
        steps => steps[steps.length - 1] === 100,
        'must end at 100 (the candidate becomes stable there)',
      ),
    minPerStep: z
      .number({ error: 'must be a whole number of finished migrations' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(100_000, 'must be at most 100000'),
    bakeSeconds: z
      .number({ error: 'must be a whole number of seconds' })
      .int('must be a whole number')
      .min(0, 'must be at least 0')
      .max(30 * 86_400, 'must be at most 2592000 (30 days)'),
    gates: z
      .object(
        {
          maxFailureRateMargin: share('e.g. 0.05'),
          maxRollbackRateMargin: share('e.g. 0.05'),
          maxVerifyMismatchMargin: share('e.g. 0'),
          minThroughputShare: share('e.g. 0.8'),
        },
        {
          error:
            'is required: {"maxFailureRateMargin": 0.05, "maxRollbackRateMargin": 0.05, "maxVerifyMismatchMargin": 0, "minThroughputShare": 0.8}',
        },
      )
      .strict(),
    onAbort: z.enum(['finish', 'rollback'], {
      error:
        'must be finish or rollback (what running candidate migrations do on abort)',
    }),
  })
  .strict();

export const rolloutIdSchema = z.uuid({
  error: 'must be a rollout id (a UUID)',
});
