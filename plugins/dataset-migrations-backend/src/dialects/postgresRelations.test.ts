import { caseVariantRanges } from './postgresRelations';

/** Every spelling of `name` that differs from it in ASCII case alone. */
function caseVariants(name: string): string[] {
  let out = [''];
  for (const c of name) {
    out = /^[A-Za-z]$/.test(c)
      ? out.flatMap(p => [p + c.toLowerCase(), p + c.toUpperCase()])
      : out.map(p => p + c);
  }
  return out;
}

/** PostgreSQL's order of `name` values (collation "C"): their UTF-8 bytes. */
const compare = (a: string, b: string) =>
  Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

const within = (name: string, ranges: Array<[string, string]>) =>
  ranges.some(([lo, hi]) => compare(lo, name) <= 0 && compare(name, hi) <= 0);

describe('caseVariantRanges', () => {
  it.each([
    ['t00001_v2'],
    ['Orders'],
    ['customer_orders_v2'],
    ['12_34'],
    ['Ünïcode_Tábla'],
    ['a'],
    ['_x_Y_z_W'],
  ])('holds every ASCII case spelling of %p', name => {
    const ranges = caseVariantRanges(name);
    for (const variant of caseVariants(name)) {
      expect([variant, within(variant, ranges)]).toEqual([variant, true]);
    }
  });

  it('fixes the first letters exactly: names that share no spelling of them stay out', () => {
    const ranges = caseVariantRanges('customer_orders');
    expect(ranges).toHaveLength(8);
    for (const other of ['cut', 'cuz', 'customers', 'Cz', 'b_orders', 'd']) {
      expect([other, within(other, ranges)]).toEqual([other, false]);
    }
    // A name that shares the prefix and sorts between the rest's spellings (`cust`) is in a
    // range; the lower() comparison after the index scan leaves it out.
    expect(within('cust', ranges)).toBe(true);
  });
});
