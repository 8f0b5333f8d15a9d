import type { StepUpdate } from '../store/MigrationStore';

type Progress = NonNullable<StepUpdate['progress']>;

/**
 * How long a step's progress report (one without a checkpoint) waits before it is
 * written. Such a report is only for people watching, and most steps of a small table
 * end well within this: their last report then goes with the step's end, in the same
 * write, instead of one statement each (6 of the 39 state statements of a tiny
 * migration in `bench:fleet-trace`).
 * A longer step shows its progress this much later.
 */
export const PROGRESS_HOLD_MS = 500;

/**
 * A step's progress reports, held: the newest one is written once it has waited
 * `PROGRESS_HOLD_MS` (then the next waits again), or handed to the step's end with
 * `settle`, which also waits for a write under way so that none lands after the end.
 * A report that comes with a checkpoint is written at once by its caller, after
 * `settle`: a checkpoint is what a resumed step starts from.
 */
export class HeldProgress {
  private held?: Progress;
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (progress: Progress) => Promise<void>,
    private readonly onWriteError: (error: unknown) => void,
  ) {}

  report(progress: Progress): void {
    this.held = progress;
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), PROGRESS_HOLD_MS);
    // A held report never keeps the process alive.
    this.timer.unref?.();
  }

  private flush(): void {
    this.timer = undefined;
    const progress = this.held;
    if (!progress) return;
    this.held = undefined;
    // A lost progress write loses nothing the step needs: the next one, or the step's
    // end, writes it again.
    this.writing = this.writing
      .then(() => this.write(progress))
      .catch(this.onWriteError);
  }

  /** Stops holding; returns the report not written yet, once no write is under way. */
  async settle(): Promise<Progress | undefined> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const progress = this.held;
    this.held = undefined;
    await this.writing;
    return progress;
  }
}
