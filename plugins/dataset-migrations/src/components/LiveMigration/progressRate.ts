/** Rows per second between two progress readings, or undefined without a usable pair. */
export function progressRate(
  previous: { done: number; at: number } | undefined,
  current: { done: number; at: number },
): number | undefined {
  if (!previous || current.at <= previous.at || current.done < previous.done)
    return undefined;
  return ((current.done - previous.done) * 1000) / (current.at - previous.at);
}
