import type {
  Rollout,
  RolloutVersionStats,
} from '@internal/backstage-plugin-dataset-migrations-common';

/** A rate (a share 0–1) as people read it; "n/a" before any migration finished. */
export function formatRate(share: number | null): string {
  return share === null ? 'n/a' : `${(share * 100).toFixed(1)} %`;
}

/** Copy throughput, or "n/a" before any copy finished. */
export function formatRowsPerSecond(rows: number | null): string {
  return rows === null
    ? 'n/a'
    : `${Math.round(rows).toLocaleString('en-US')} rows/s`;
}

/** "step 2 of 4 (25 %)": where the rollout stands, counted from one. */
export function describeStep(rollout: Pick<Rollout, 'step' | 'steps'>) {
  return `step ${rollout.step + 1} of ${rollout.steps.length}`;
}

/** One version's numbers in a sentence, for the decision timeline. */
export function describeStats(stats: RolloutVersionStats): string {
  return `${stats.version}: ${stats.finished} finished, failure ${formatRate(
    stats.failureRate,
  )}, rollback ${formatRate(
    stats.rollbackRate,
  )}, verify mismatches ${formatRate(
    stats.verifyMismatchRate,
  )}, ${formatRowsPerSecond(stats.copyRowsPerSecond)}`;
}
