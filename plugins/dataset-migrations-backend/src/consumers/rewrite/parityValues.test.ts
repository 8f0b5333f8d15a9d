import { compareRows, normalizeValue } from './parityValues';

describe('parity values', () => {
  it('compares the same data as the engines return it alike', () => {
    expect(normalizeValue('12.50')).toBe(normalizeValue(12.5));
    expect(normalizeValue('0012')).toBe(normalizeValue(12));
    expect(normalizeValue(BigInt('9007199254740993'))).toBe('9007199254740993');
    expect(normalizeValue(true)).toBe(normalizeValue(1));
    expect(normalizeValue('2024-03-01 10:00:00')).toBe(
      normalizeValue(new Date('2024-03-01T10:00:00Z')),
    );
    expect(normalizeValue('12.5')).not.toBe(normalizeValue('12.51'));
    expect(normalizeValue('abc')).not.toBe(normalizeValue(null));
  });

  it('compares multisets, or sequences when ordered', () => {
    const a = [{ x: 1 }, { x: 2 }, { x: 2 }];
    expect(
      compareRows(a, [{ x: 2 }, { x: '1' }, { x: 2 }], false).matches,
    ).toBe(true);
    expect(compareRows(a, [{ x: 1 }, { x: 1 }, { x: 2 }], false)).toMatchObject(
      {
        matches: false,
        reason: expect.stringMatching(/1 rows differ/),
      },
    );
    expect(compareRows(a, [{ x: 2 }, { x: 1 }, { x: 2 }], true)).toMatchObject({
      matches: false,
      reason: expect.stringMatching(/row 1 differs/),
    });
    expect(compareRows([{ x: 1 }], [{ y: 1 }], false)).toMatchObject({
      matches: false,
      reason: expect.stringMatching(/columns differ/),
    });
  });
});
