import crypto from 'node:crypto';

/**
 * A dataset's place (0–99) in a rollout: a hash of the rollout and the dataset, so the
 * same dataset always lands in the same place (re-planning never flips it), a rising
 * share only adds datasets, and two rollouts sample different datasets.
 */
export function rolloutBucket(rolloutId: string, entityRef: string): number {
  const digest = crypto
    .createHash('sha256')
    .update(`${rolloutId}\n${entityRef}`)
    .digest();
  return digest.readUInt32BE(0) % 100;
}
