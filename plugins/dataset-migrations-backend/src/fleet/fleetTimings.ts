import type { ExecutorSettings } from '../execute/ExecutorSettings';

/**
 * The fleet's clock, in one place so that the worker pool that heartbeats and the fleet
 * page that judges heartbeats agree on what "lost" means.
 */
export function fleetTimings(settings: Pick<ExecutorSettings, 'leaseMs'>) {
  /** How often instances and busy workers heartbeat (and renew leases). */
  const heartbeatMs = Math.max(
    200,
    Math.min(2_000, Math.floor(settings.leaseMs / 3)),
  );
  return {
    heartbeatMs,
    /**
     * Silent for this long, an instance or worker is gone (crashed, killed, its host
     * lost): its leases are freed then, long before they would expire.
     */
    lostAfterMs: Math.min(settings.leaseMs, heartbeatMs * 5),
    /** A lost instance stays on the fleet page this long, then it is forgotten. */
    forgetLostAfterMs: 60 * 60_000,
  };
}

/** A crashed worker loop waits longer after each crash in a row, up to 30 s. */
export function restartBackoffMs(crashesInARow: number, baseMs: number) {
  return Math.min(30_000, baseMs * 2 ** Math.max(0, crashesInARow - 1));
}
