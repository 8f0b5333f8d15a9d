import { valueConverter } from './convertValue';

describe('valueConverter: timestamps with a zone, to engines without one', () => {
  // PostgreSQL prints a timestamptz's offset as hours only when the minutes are zero
  // (+00, -07), which JavaScript's Date cannot parse on its own.
  it.each([
    ['2024-02-29 13:14:15+00', '2024-02-29 13:14:15'],
    ['2024-02-29 13:14:15-07', '2024-02-29 20:14:15'],
    ['2024-02-29 13:14:15+05:30', '2024-02-29 07:44:15'],
    ['2024-02-29 13:14:15+0530', '2024-02-29 07:44:15'],
    ['2024-02-29T13:14:15Z', '2024-02-29 13:14:15'],
    ['2024-02-29T13:14:15z', '2024-02-29 13:14:15'],
    ['2024-02-29 23:30:00.123456+02', '2024-02-29 21:30:00.123456'],
    ['2024-02-29 13:14:15.5-01', '2024-02-29 14:14:15.5'],
  ])('%s becomes the UTC wall time %s', (value, utc) => {
    for (const engine of ['mysql', 'sqlite'] as const) {
      expect(valueConverter(engine, { kind: 'timestamptz' })(value)).toBe(utc);
      expect(valueConverter(engine, { kind: 'timestamp' })(value)).toBe(utc);
    }
  });

  it('leaves a timestamp without a zone as it is written', () => {
    const convert = valueConverter('mysql', { kind: 'timestamp' });
    expect(convert('2024-02-29T13:14:15.25')).toBe('2024-02-29 13:14:15.25');
    // MySQL's DATETIME text, which skips the zone regex, and years before 1000.
    for (const engine of ['postgres', 'mysql'] as const) {
      for (const text of [
        '2024-02-29 13:14:15',
        '2024-02-29 13:14:15.123456',
        '0999-01-01 00:00:00',
      ])
        expect(valueConverter(engine, { kind: 'timestamp' })(text)).toBe(text);
    }
  });
});
