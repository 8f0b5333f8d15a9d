/**
 * Exponential backoff with equal jitter (half the ceiling fixed, half random): attempt 1 waits up to base, attempt n up to
 * base * 2^(n-1), capped; the random spread keeps retries of many migrations against
 * one database from arriving together.
 */
export function backoffMs(
  attempt: number,
  baseMs: number,
  capMs: number,
  random = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
