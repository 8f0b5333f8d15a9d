import type { LoggerService } from '@backstage/backend-plugin-api';
import { BackgroundLoop } from '../BackgroundLoop';
import type { RolloutService } from './RolloutService';

/** Judges active rollouts every few seconds on every instance (decisions are compare-and-set). */
export function rolloutLoop(
  rollouts: RolloutService,
  logger: LoggerService,
  intervalMs = 2_000,
): BackgroundLoop {
  return new BackgroundLoop({
    name: 'Rollout loop',
    intervalMs,
    logger,
    tick: async () => (await rollouts.evaluate()) > 0,
  });
}
