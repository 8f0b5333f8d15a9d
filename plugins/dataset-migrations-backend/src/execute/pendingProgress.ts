import type { StepUpdate } from '../store/MigrationStore';

type Progress = NonNullable<StepUpdate['progress']>;

/** At most one progress-only write a second per step; the rest wait for the next write. */
export const PROGRESS_WRITE_INTERVAL_MS = 1_000;

/**
 * A step's latest progress that carries no checkpoint and no event: nothing resumes
 * from it, only the page shows it. It is written with the step's next write (its
 * success or failure, at the boundary with the next step), or after
 * PROGRESS_WRITE_INTERVAL_MS if the step is still running then. A small table's
 * migration so ends each step with one write instead of two, and a long step's
 * reports cost one write a second however often they come. Progress that carries a
 * checkpoint or an event is written at once, as before (see MigrationRunner.context).
 */
export class PendingProgress {
  private value: Progress | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (progress: Progress) => Promise<void>,
    private readonly onWriteError: (error: unknown) => void,
    private readonly intervalMs = PROGRESS_WRITE_INTERVAL_MS,
  ) {}

  /** Keeps `progress` as the latest, written within the interval unless taken first. */
  defer(progress: Progress): void {
    this.value = progress;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const value = this.take();
      if (!value) return;
      // After the one before it: two interval writes never land out of order.
      this.inFlight = this.inFlight
        .then(() => this.write(value))
        .catch(this.onWriteError);
    }, this.intervalMs);
    this.timer.unref?.();
  }

  /**
   * The progress still to write, for the next write to carry (the step's closing one),
   * or to drop when that write brings progress of its own; returned once any interval
   * write in flight has landed, so that it cannot land after, with older numbers.
   */
  async settle(): Promise<Progress | undefined> {
    const value = this.take();
    await this.inFlight;
    return value;
  }

  private take(): Progress | undefined {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const value = this.value;
    this.value = undefined;
    return value;
  }
}
