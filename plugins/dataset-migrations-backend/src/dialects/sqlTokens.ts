import type { Engine } from '@internal/backstage-plugin-dataset-migrations-common';

/**
 * One token of a SQL fragment: `word` (keyword, function or unquoted name), `quoted`
 * (a quoted name, `value` unquoted), `string` (a literal, `value` unescaped),
 * `number`, or `punct` (operators, parentheses, commas). `start`/`end` are offsets
 * into the text, so a token can be replaced where it stands.
 */
export type SqlToken = {
  kind: 'word' | 'quoted' | 'string' | 'number' | 'punct';
  value: string;
  start: number;
  end: number;
};

/** A fragment this tokenizer cannot read with certainty (an escape, an unclosed quote). */
export class UnreadableSql extends Error {}

const NAME_QUOTES: Record<Engine, string> = {
  postgres: '"',
  mysql: '`',
  sqlite: '"`[',
};

const CLOSERS: Record<string, string> = { '"': '"', '`': '`', '[': ']' };

/**
 * Splits SQL as `engine` reads it: PostgreSQL and SQLite quote names with `"` (SQLite
 * also with backticks and brackets), MySQL with backticks, where `"` starts a string
 * and a backslash escapes. Comments are skipped. Throws `UnreadableSql` on anything it
 * cannot read for certain, so callers fall back to "not carried" instead of guessing.
 */
export function tokenize(text: string, engine: Engine): SqlToken[] {
  const tokens: SqlToken[] = [];
  const nameQuotes = NAME_QUOTES[engine];
  const stringQuotes = engine === 'mysql' ? `'"` : `'`;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new UnreadableSql('unclosed comment');
      i = end + 2;
    } else if (stringQuotes.includes(ch) || nameQuotes.includes(ch)) {
      const close = CLOSERS[ch] ?? ch;
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new UnreadableSql('unclosed quote');
        if (engine === 'mysql' && text[j] === '\\' && stringQuotes.includes(ch))
          throw new UnreadableSql('backslash escape');
        if (text[j] === close) {
          if (close !== ']' && text[j + 1] === close) {
            value += close;
            j += 2;
            continue;
          }
          break;
        }
        value += text[j++];
      }
      tokens.push({
        kind: stringQuotes.includes(ch) ? 'string' : 'quoted',
        value,
        start: i,
        end: j + 1,
      });
      i = j + 1;
    } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(text[i + 1]))) {
      const m = /^(?:[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?|[0-9]+\.)/.exec(
        text.slice(i),
      )!;
      tokens.push({
        kind: 'number',
        value: m[0],
        start: i,
        end: i + m[0].length,
      });
      i += m[0].length;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(ch)) {
      const m = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(
        text.slice(i),
      )!;
      // PostgreSQL's E'…' and U&'…' strings, and MySQL's _charset'…' introducers.
      if (stringQuotes.includes(text[i + m[0].length] ?? ''))
        throw new UnreadableSql('prefixed string');
      tokens.push({
        kind: 'word',
        value: m[0],
        start: i,
        end: i + m[0].length,
      });
      i += m[0].length;
    } else {
      const m = /^(?:::|<>|!=|<=|>=|\|\||[-+*/%<>=(),[\]:;.!~^&|])/.exec(
        text.slice(i),
      );
      if (!m) throw new UnreadableSql(`character ${ch}`);
      tokens.push({
        kind: 'punct',
        value: m[0],
        start: i,
        end: i + m[0].length,
      });
      i += m[0].length;
    }
  }
  return tokens;
}

/** The index of the `)` closing the `(` at `open`, or -1. */
export function closingParen(tokens: SqlToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'punct') continue;
    if (t.value === '(') depth++;
    else if (t.value === ')' && --depth === 0) return i;
  }
  return -1;
}
