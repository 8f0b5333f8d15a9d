import type {
  CampaignMode,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { PlanOutcome } from '../../store/CampaignStore';

/**
 * Where a campaign's plan leaves its dataset: blocked by a blocking finding or a failed
 * preflight (re-planning picks up rule fixes); queued without a click in `auto` mode
 * when nothing at all was found; otherwise waiting for an owner's approval.
 */
export function classifyPlan(plan: Plan, mode: CampaignMode): PlanOutcome {
  const blocking = plan.findings.find(f => f.severity === 'blocking');
  if (blocking) {
    return {
      state: 'blocked',
      plan,
      reasonCode: blocking.code,
      reason: blocking.message,
    };
  }
  if (plan.preflight?.status !== 'passed') {
    return {
      state: 'blocked',
      plan,
      reasonCode: 'preflight-failed',
      reason: `Preflight did not pass: ${
        plan.preflight?.error ?? 'it did not run'
      }`,
    };
  }
  const warning = plan.findings.find(f => f.severity === 'warning');
  if (mode === 'auto' && !warning) return { state: 'planned', plan };
  return {
    state: 'awaiting_approval',
    plan,
    reasonCode: warning?.code ?? null,
    reason: warning
      ? `An owner must confirm: ${warning.message}`
      : 'An owner must confirm the plan',
  };
}
