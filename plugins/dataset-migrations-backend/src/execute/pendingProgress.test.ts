import { PendingProgress } from './pendingProgress';

type Progress = { done: number; total?: number | null; unit?: string | null };

const pause = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('PendingProgress', () => {
  const setup = (intervalMs = 20) => {
    const written: Progress[] = [];
    let release: (() => void) | undefined;
    const pending = new PendingProgress(
      async progress => {
        written.push(progress);
        if (release === undefined) return;
        await new Promise<void>(r => {
          release = r;
        });
      },
      e => {
        throw e;
      },
      intervalMs,
    );
    return {
      pending,
      written,
      holdWrites: () => {
        release = () => undefined;
      },
      releaseWrite: () => release?.(),
    };
  };

  it('hands the latest progress to the closing write when the step ends within the interval', async () => {
    const { pending, written } = setup(1_000);
    pending.defer({ done: 1, total: 3, unit: 'rows' });
    pending.defer({ done: 3, total: 3, unit: 'rows' });
    expect(await pending.settle()).toEqual({ done: 3, total: 3, unit: 'rows' });
    await pause(30);
    expect(written).toEqual([]);
    expect(await pending.settle()).toBeUndefined();
  });

  it('writes once an interval passes with the step still running, the latest numbers only', async () => {
    const { pending, written } = setup(20);
    pending.defer({ done: 1 });
    pending.defer({ done: 2 });
    await pause(60);
    expect(written).toEqual([{ done: 2 }]);
    pending.defer({ done: 5 });
    expect(await pending.settle()).toEqual({ done: 5 });
    await pause(60);
    expect(written).toEqual([{ done: 2 }]);
  });

  it('drops what waits when a write with progress of its own goes first', async () => {
    const { pending, written } = setup(20);
    pending.defer({ done: 1 });
    // The write about to go takes it and carries progress of its own instead.
    expect(await pending.settle()).toEqual({ done: 1 });
    await pause(60);
    expect(written).toEqual([]);
    expect(await pending.settle()).toBeUndefined();
  });

  it('lets an interval write in flight land before the closing write takes the rest', async () => {
    const { pending, written, holdWrites, releaseWrite } = setup(10);
    holdWrites();
    pending.defer({ done: 1 });
    await pause(40);
    expect(written).toEqual([{ done: 1 }]);
    pending.defer({ done: 2 });
    let settled: Progress | undefined | 'waiting' = 'waiting';
    const closing = pending.settle().then(p => {
      settled = p;
    });
    await pause(20);
    expect(settled).toBe('waiting');
    releaseWrite();
    await closing;
    expect(settled).toEqual({ done: 2 });
  });
});
