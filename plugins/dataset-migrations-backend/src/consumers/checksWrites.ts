import type { Config } from '@backstage/config';

/**
 * `datasetMigrations.consumers.parity.writes`: whether a consumer's rewritten writes
 * are checked by running them, rolled back, on both sides (default true). A team that
 * wants no consumer write run against production, even rolled back, turns it off; the
 * rewrites are then offered unproven. A value that is not a boolean stops the backend
 * with the config reader's error naming the key.
 */
export function readChecksWrites(config: Config): boolean {
  return (
    config.getOptionalBoolean('datasetMigrations.consumers.parity.writes') ??
    true
  );
}
