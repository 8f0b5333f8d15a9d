import type { StepContext } from './Step';
import { runWithLockTimeout } from './lockTimeout';

/**
 * Positions the new table's identities after the keys it holds (the plan's
 * `identitySync`), on the target, before the cutover lets readers and writers reach it:
 * an insert that omits the key then gets one above every copied key. The statements
 * never move a sequence back, so every cutover attempt runs them.
 */
export async function syncIdentities(ctx: StepContext): Promise<void> {
  await runWithLockTimeout(
    ctx,
    ctx.target,
    ctx.plan.artifacts.identitySync ?? [],
    `Cutover of ${ctx.entityRef} (positioning the new table's identity sequences)`,
  );
}
