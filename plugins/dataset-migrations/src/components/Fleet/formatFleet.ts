/** A heartbeat's age as a person reads it: "0.4 s ago", "42 s ago", "3 min ago". */
export function formatAge(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s ago`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s ago`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min ago`;
  return `${Math.round(ms / 3_600_000)} h ago`;
}

/** A copy's pace, "12,345 rows/s"; a dash when the worker copies nothing now. */
export function formatRowsPerSecond(rate: number | null): string {
  if (rate === null) return '—';
  return `${Math.round(rate).toLocaleString('en-US')} rows/s`;
}
