import { compareValidation, sumValidation } from './validationQuery';

describe('sumValidation', () => {
  it('rebuilds a side from parts exactly past 2^53, where numbers would round', () => {
    // The whole table read as text by the driver, minus one key's share, plus the same
    // key's share from the other side: equal to the other side's total to the unit.
    const whole = { row_count: '3', s0: '9007199254740993' };
    const rebuilt = sumValidation([
      { row: { ROW_COUNT: '3', S0: '9007199254740993' }, sign: 1 },
      { row: { row_count: 1, s0: '5' }, sign: -1 },
      { row: { row_count: '1', s0: '5.0000' }, sign: 1 },
    ]);
    expect(rebuilt).toEqual(sumValidation([{ row: whole, sign: 1 }]));
    expect(
      sumValidation([
        { row: { s0: '9007199254740993' }, sign: 1 },
        { row: { s0: '1' }, sign: -1 },
      ]).s0,
    ).toBe(9007199254740992);
  });

  it('adds fractional sums as numbers and keeps all-NULL sums NULL', () => {
    const sum = sumValidation([
      { row: { row_count: '2', n0: '2', s0: '1.5', s1: null }, sign: 1 },
      { row: { row_count: '1', n0: '1', s0: '0.25', s1: null }, sign: -1 },
    ]);
    expect(sum).toEqual({ row_count: 1, n0: 1, s0: 1.25, s1: null });
    expect(
      compareValidation({ row_count: 1, n0: 1, s0: 1.25 }, sum, [
        { name: 'score', type: { kind: 'double' } as never },
      ]),
    ).toEqual([]);
  });
});
