import type { LoggerService } from '@backstage/backend-plugin-api';
import { safeErrorMessage } from '../errors/safeErrorMessage';

/**
 * Runs `tick` on this instance every `intervalMs`, or sooner when `notify` says that
 * something changed; never two ticks at once, and a failed tick is logged and tried
 * again at the next interval. The work must be safe to run on every instance at once
 * (compare-and-set in the store), which is how the fleet shares it.
 */
export class BackgroundLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly options: {
      name: string;
      intervalMs: number;
      logger: LoggerService;
      /** Returns true when there is more to do right away. */
      tick: () => Promise<boolean>;
    },
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Runs a tick soon, or right after the one running now. */
  notify(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.options
        .tick()
        .then(more => {
          if (more) this.again = true;
        })
        .catch(e =>
          this.options.logger.error(
            `${this.options.name} failed: ${safeErrorMessage(e)}`,
          ),
        )
        .finally(() => {
          this.running = undefined;
          if (this.stopped) return;
          const now = this.again;
          this.again = false;
          this.schedule(now ? 0 : this.options.intervalMs);
        });
    }, ms);
  }
}
