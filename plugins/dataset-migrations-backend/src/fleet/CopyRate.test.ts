import { CopyRate } from './CopyRate';

describe('CopyRate', () => {
  it('measures rows per second over the recent window, not since the start', () => {
    const rate = new CopyRate(10_000);
    expect(rate.sample('copy', 0, 0)).toBeNull();
    expect(rate.sample('copy', 1_000, 1_000)).toBe(1_000);
    // A slow start drops out of the window: the rate is the copy's pace now.
    for (let t = 2; t <= 30; t++)
      rate.sample('copy', 1_000 + (t - 1) * 100, t * 1_000);
    expect(rate.sample('copy', 1_000 + 30 * 100, 31_000)).toBeCloseTo(100);
  });

  it('starts over for another step and never reports a negative rate', () => {
    const rate = new CopyRate();
    rate.sample('copy', 5_000, 0);
    expect(rate.sample('catch_up', 10, 1_000)).toBeNull();
    expect(rate.sample('catch_up', 5, 2_000)).toBe(0);
  });
});
