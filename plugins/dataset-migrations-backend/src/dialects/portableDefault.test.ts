import { portableDefault } from './portableDefault';

describe('portableDefault', () => {
  it.each([
    [null, null],
    ["'open'", 'open'],
    ["'open'::character varying", 'open'],
    ["'it''s'", "it's"],
    ['0', 0],
    ['(1)', 1],
    ['-2.5', -2.5],
    ['true', true],
    ['FALSE', false],
    ["nextval('seq'::regclass)", null],
    ['CURRENT_TIMESTAMP', null],
    ['current_timestamp()', null],
  ])('reads %p as %p', (raw, expected) => {
    expect(portableDefault(raw)).toEqual(expected);
  });
});
