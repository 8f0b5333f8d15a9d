import { progressRate } from './progressRate';

describe('progressRate', () => {
  it('measures rows per second between two readings', () => {
    expect(
      progressRate({ done: 1000, at: 10_000 }, { done: 6000, at: 12_000 }),
    ).toBe(2500);
  });

  it('has no rate without a usable earlier reading', () => {
    expect(progressRate(undefined, { done: 10, at: 1 })).toBeUndefined();
    expect(
      progressRate({ done: 10, at: 5 }, { done: 20, at: 5 }),
    ).toBeUndefined();
    // A restarted copy counts from zero again.
    expect(
      progressRate({ done: 50, at: 1 }, { done: 10, at: 2 }),
    ).toBeUndefined();
  });
});
