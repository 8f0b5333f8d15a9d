import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { CampaignMode } from '@internal/backstage-plugin-dataset-migrations-common';
import { safeErrorMessage } from '../../errors/safeErrorMessage';
import type { PlanService } from '../../plan/PlanService';
import type { PlanOutcome } from '../../store/CampaignStore';
import { classifyPlan } from './classifyPlan';

/** Plans one dataset of a campaign; a plan that cannot be made blocks it, with the reason. */
export async function planDataset(
  plans: PlanService,
  credentials: BackstageCredentials,
  dataset: { entityRef: string; agentId: string; mode: CampaignMode },
): Promise<PlanOutcome> {
  try {
    const plan = await plans.planForCampaign(
      dataset.entityRef,
      credentials,
      dataset.agentId,
    );
    return classifyPlan(plan, dataset.mode);
  } catch (e) {
    return {
      state: 'blocked',
      reasonCode: 'plan-failed',
      reason: safeErrorMessage(e),
    };
  }
}

/** Runs `work` over `items` with at most `concurrency` at once, in order of results. */
export async function mapBounded<T, R>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from(
    { length: Math.min(concurrency, items.length) },
    async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]);
      }
    },
  );
  await Promise.all(lanes);
  return results;
}
