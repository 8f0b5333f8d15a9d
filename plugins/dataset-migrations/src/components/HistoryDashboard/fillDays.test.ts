import { fillDays } from './fillDays';

describe('fillDays', () => {
  it('fills the days without migrations with zeros, oldest first', () => {
    expect(
      fillDays([
        { day: '2026-11-23', count: 3 },
        { day: '2026-11-20', count: 2 },
      ]),
    ).toEqual([
      { day: '2026-11-20', count: 2 },
      { day: '2026-11-21', count: 0 },
      { day: '2026-11-22', count: 0 },
      { day: '2026-11-23', count: 3 },
    ]);
    expect(fillDays([])).toEqual([]);
  });
});
