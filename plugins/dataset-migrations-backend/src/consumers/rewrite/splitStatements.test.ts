import { splitStatements } from './splitStatements';

describe('splitStatements', () => {
  it('splits at semicolons outside strings, quoted names, comments and dollar quotes', () => {
    const text = [
      '-- a; comment\nSELECT \'a;b\' AS "x;y" FROM t;',
      '/* block; */ SELECT $f$ ; $f$ FROM u ;',
      '\n\nSELECT 1',
    ].join('\n');
    const spans = splitStatements(text, 'postgres');
    expect(spans.map(s => s.text)).toEqual([
      'SELECT \'a;b\' AS "x;y" FROM t',
      'SELECT $f$ ; $f$ FROM u',
      'SELECT 1',
    ]);
    expect(spans.map(s => s.line)).toEqual([2, 3, 6]);
    for (const span of spans)
      expect(text.slice(span.start, span.end)).toBe(span.text);
  });

  it("reads MySQL's backslash escapes, backticks and # comments", () => {
    const spans = splitStatements(
      "# note; here\nSELECT 'it\\'s;' FROM `a;b`; SELECT 2;",
      'mysql',
    );
    expect(spans.map(s => s.text)).toEqual([
      "SELECT 'it\\'s;' FROM `a;b`",
      'SELECT 2',
    ]);
  });

  it('finds no statement in a file of comments', () => {
    expect(splitStatements('-- only\n/* comments */ ;\n', 'sqlite')).toEqual(
      [],
    );
  });
});
