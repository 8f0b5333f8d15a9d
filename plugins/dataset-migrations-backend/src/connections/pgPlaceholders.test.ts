import { positionPgBindings } from './pgPlaceholders';

describe('positionPgBindings', () => {
  it.each([
    ['SELECT ? , ?', 'SELECT $1 , $2'],
    [
      `SELECT 'why?' || "col?" FROM t WHERE a = ?`,
      `SELECT 'why?' || "col?" FROM t WHERE a = $1`,
    ],
    [`SELECT 'it''s ?', ?`, `SELECT 'it''s ?', $1`],
    [`SELECT "a""?", ?`, `SELECT "a""?", $1`],
    ['SELECT 1 -- why?\n, ?', 'SELECT 1 -- why?\n, $1'],
    ['SELECT /* ? */ ?', 'SELECT /* ? */ $1'],
    [
      'DO $$ BEGIN RAISE ?; END $$; SELECT ?',
      'DO $$ BEGIN RAISE ?; END $$; SELECT $1',
    ],
    [
      'CREATE FUNCTION f() AS $fn$ SELECT ? $fn$',
      'CREATE FUNCTION f() AS $fn$ SELECT ? $fn$',
    ],
    ['SELECT \\?, ?', 'SELECT ?, $1'],
    ['SELECT $1', 'SELECT $1'],
    [`SELECT 'unterminated ?`, `SELECT 'unterminated ?`],
  ])('%s', (sql, expected) => {
    expect(positionPgBindings(sql)).toBe(expected);
  });
});
