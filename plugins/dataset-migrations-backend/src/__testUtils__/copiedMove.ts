import type { Plan } from '@internal/backstage-plugin-dataset-migrations-common';
import type { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { copyStep } from '../execute/steps/copyStep';
import { provisionStep } from '../execute/steps/provisionStep';
import type { StepContext } from '../execute/steps/Step';
import { planMove } from './planFor';
import { StepRecord, stepContext } from './stepContext';

/**
 * `table` of connection `src` moved to `to` as far as the copy: planned (one `move`
 * rule), the target provisioned and the rows copied. For tests of the steps after the
 * copy (verify above all), which then tamper with either side and run the step.
 */
export async function copiedMove(
  registry: ConnectionRegistry,
  table: string,
  to: { connection: string; table: string },
): Promise<{ plan: Plan; ctx: StepContext; record: StepRecord }> {
  const plan = await planMove(registry, { connection: 'src', table }, to);
  const record: StepRecord = { events: [] };
  const ctx = stepContext(registry, plan, record);
  await provisionStep.run(ctx);
  await copyStep.run(ctx);
  return { plan, ctx, record };
}
