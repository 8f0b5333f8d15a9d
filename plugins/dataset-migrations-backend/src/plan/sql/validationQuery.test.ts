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

describe('compareValidation', () => {
  const columns = [
    { name: 'qty', type: { kind: 'integer' } as never },
    { name: 'score', type: { kind: 'double' } as never },
  ];

  it("compares the rows' checksum and the doubles' sums of the current shape", () => {
    const side = { row_count: 2, n0: 2, n1: 2, row_checksum: 77, s1: 1.5 };
    expect(compareValidation(side, { ...side }, columns)).toEqual([]);
    expect(
      compareValidation(side, { ...side, row_checksum: 78 }, columns),
    ).toEqual([
      "rows' checksum: 77 in the source, 78 in the target (values differ in some row)",
    ]);
    expect(compareValidation(side, { ...side, s1: 1.75 }, columns)).toEqual([
      'column score: checksum 1.5 in the source, 1.75 in the target',
    ]);
  });

  it('still reads the per-column checksums of plans made before', () => {
    const side = { row_count: 2, n0: 2, n1: 2, s0: 30, s1: 1.5 };
    expect(compareValidation(side, { ...side }, columns)).toEqual([]);
    expect(compareValidation(side, { ...side, s0: 31 }, columns)).toEqual([
      'column qty: checksum 30 in the source, 31 in the target',
    ]);
  });
});
