import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';

/** Why a plan cannot be confirmed, or undefined when it can. */
export function blockingReason(plan: Plan): string | undefined {
  const blocking = plan.findings.filter(f => f.severity === 'blocking');
  if (blocking.length > 0) {
    return `${blocking.length} blocking finding${
      blocking.length > 1 ? 's' : ''
    } must be resolved first: change the data or ask an admin for a rule that allows it, then click Migrate again.`;
  }
  if (!plan.preflight) {
    return 'Preflight did not run: the plan cannot be confirmed until its SQL is proven.';
  }
  if (plan.preflight.status !== 'passed') {
    return `Preflight failed: ${
      plan.preflight.error ?? 'the generated SQL did not run on the sample'
    }`;
  }
  return undefined;
}
