import { z } from 'zod';
import { text } from './validation';

/**
 * What the spec (src/schema/openapi.yaml) cannot say about a new rollout, checked
 * after it: its text holds no control characters, and its steps rise to 100 (the
 * spec bounds each step and their number, not their order).
 */
export const newRolloutChecks = z.object({
  agentId: text(),
  candidateVersion: text(),
  steps: z
    .array(z.number())
    .refine(
      steps => steps.every((s, i) => i === 0 || s > steps[i - 1]),
      'must rise step by step, e.g. [5, 25, 50, 100]',
    )
    .refine(
      steps => steps[steps.length - 1] === 100,
      'must end at 100 (the candidate becomes stable there)',
    ),
});
