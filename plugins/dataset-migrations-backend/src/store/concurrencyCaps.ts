/**
 * How many migrations may run at once, on every backend instance together, from
 * `datasetMigrations.caps`: per source connection and per target connection (protect
 * the databases) and per owner (fairness). A campaign adds its own `maxRunning` and
 * start rate. Single migrations started from a dataset page count against the same
 * connection and owner caps.
 */
export type ConcurrencyCaps = {
  perSourceConnection: number;
  perTargetConnection: number;
  perOwner: number;
  /** Per-connection overrides: `maxRunning` replaces both connection caps there. */
  connections: Record<string, { maxRunning: number }>;
};

export const DEFAULT_CONCURRENCY_CAPS: ConcurrencyCaps = {
  perSourceConnection: 8,
  perTargetConnection: 8,
  perOwner: 8,
  connections: {},
};

/** The cap on migrations running with `connection` as their source or target. */
export function connectionCap(
  caps: ConcurrencyCaps,
  connection: string,
  role: 'source' | 'target',
): number {
  return (
    caps.connections[connection]?.maxRunning ??
    (role === 'source' ? caps.perSourceConnection : caps.perTargetConnection)
  );
}
