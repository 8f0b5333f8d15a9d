import crypto from 'node:crypto';
import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .filter(k => (value as Record<string, unknown>)[k] !== undefined)
        .map(k => [k, stable((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * The content hash of a plan: everything a reviewer approves, in a key-order-independent
 * form. Left out: when it was made, the preflight timing, and the source's row estimate,
 * which moves with every write and does not change the code.
 */
export function hashPlan(
  plan: Omit<Plan, 'hash' | 'preflight' | 'createdAt'>,
): string {
  const { source, ...rest } = plan;
  const { rowEstimate: _ignored, ...sourceShape } = source;
  return crypto
    .createHash('sha256')
    .update(JSON.stringify(stable({ ...rest, source: sourceShape })))
    .digest('hex');
}
