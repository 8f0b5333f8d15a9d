import { describeLogicalType, isNarrowing } from './LogicalType';

describe('isNarrowing', () => {
  it.each([
    [{ kind: 'integer' }, { kind: 'bigint' }, false],
    [{ kind: 'bigint' }, { kind: 'integer' }, true],
    [{ kind: 'varchar', length: 10 }, { kind: 'varchar', length: 20 }, false],
    [{ kind: 'varchar', length: 20 }, { kind: 'varchar', length: 10 }, true],
    [{ kind: 'varchar', length: 20 }, { kind: 'text' }, false],
    [
      { kind: 'decimal', precision: 12, scale: 2 },
      { kind: 'decimal', precision: 14, scale: 2 },
      false,
    ],
    [
      { kind: 'decimal', precision: 12, scale: 2 },
      { kind: 'decimal', precision: 12, scale: 0 },
      true,
    ],
    [{ kind: 'double' }, { kind: 'decimal', precision: 14, scale: 2 }, true],
    [{ kind: 'text' }, { kind: 'integer' }, true],
    [{ kind: 'date' }, { kind: 'timestamp' }, false],
    [{ kind: 'integer' }, { kind: 'double' }, false],
  ] as const)('%p -> %p narrows: %p', (from, to, expected) => {
    expect(isNarrowing(from, to)).toBe(expected);
  });

  it('describes types for people', () => {
    expect(
      describeLogicalType({ kind: 'decimal', precision: 12, scale: 2 }),
    ).toBe('decimal(12,2)');
    expect(describeLogicalType({ kind: 'varchar', length: 40 })).toBe(
      'varchar(40)',
    );
    expect(describeLogicalType({ kind: 'bigint' })).toBe('bigint');
  });
});
