/**
 * Rows per second of one worker's current copy, over the heartbeats of the last few
 * seconds: the step's stored progress sampled at each heartbeat, so the rate reflects
 * the copy now, not an average since a start that a resume may have reset.
 */
export class CopyRate {
  private key: string | undefined;
  private samples: Array<{ at: number; done: number }> = [];

  constructor(private readonly windowMs = 10_000) {}

  /** Records the progress of `key` (migration and step); returns the rate, or null. */
  sample(key: string, done: number, at = Date.now()): number | null {
    if (key !== this.key) {
      this.key = key;
      this.samples = [];
    }
    this.samples.push({ at, done });
    // Keep one sample older than the window, so the window is always spanned.
    while (
      this.samples.length > 2 &&
      at - this.samples[1].at >= this.windowMs
    ) {
      this.samples.shift();
    }
    const first = this.samples[0];
    const seconds = (at - first.at) / 1000;
    if (this.samples.length < 2 || seconds <= 0) return null;
    return Math.max(0, (done - first.done) / seconds);
  }

  reset(): void {
    this.key = undefined;
    this.samples = [];
  }
}
