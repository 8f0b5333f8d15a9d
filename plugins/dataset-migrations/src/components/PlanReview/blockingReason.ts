import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';

/** Why a plan cannot be confirmed, or undefined when it can. */
export function blockingReason(plan: Plan): string | undefined {
  const blocking = plan.findings.filter(f => f.severity === 'blocking');
  if (blocking.length > 0) {
    return `${blocking.length} blocking finding${
      blocking.length > 1 ? 's' : ''
    } must be resolved first (see below).`;
  }
  if (plan.preflight?.status !== 'passed') {
    return `Preflight failed: ${plan.preflight?.error ?? 'it did not run'}`;
  }
  return undefined;
}
