import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { TooManyRequestsError } from '../errors/apiErrors';

/** Who a limit counts a request against: the user, or the calling service. */
export function limitKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  if (principal.type === 'service' && principal.subject) {
    return `service:${principal.subject}`;
  }
  return 'anonymous';
}

/**
 * Counts what each user has running (plans, open event streams) on this instance and
 * refuses the next one over the limit with a 429 that says what to do.
 */
export class PerUserLimiter {
  private readonly running = new Map<string, number>();

  constructor(
    private readonly limit: number,
    /** What is limited and how to get under the limit, for the error message. */
    private readonly describe: (limit: number) => string,
  ) {}

  /** Takes a slot for the user, or throws; call the returned release exactly once. */
  acquire(credentials: BackstageCredentials): () => void {
    const key = limitKey(credentials);
    const count = this.running.get(key) ?? 0;
    if (count >= this.limit) {
      throw new TooManyRequestsError(`${key}: ${this.describe(this.limit)}`);
    }
    this.running.set(key, count + 1);
    let isReleased = false;
    return () => {
      if (isReleased) return;
      isReleased = true;
      const left = (this.running.get(key) ?? 1) - 1;
      if (left > 0) this.running.set(key, left);
      else this.running.delete(key);
    };
  }

  /** Runs `work` in one of the user's slots. */
  async run<T>(
    credentials: BackstageCredentials,
    work: () => Promise<T>,
  ): Promise<T> {
    const release = this.acquire(credentials);
    try {
      return await work();
    } finally {
      release();
    }
  }
}
