import type { Engine } from '@internal/backstage-plugin-dataset-migrations-common';

/** One statement of a SQL file: its code from the first token to before its `;`. */
export type StatementSpan = {
  /** Offset of the first token (leading blanks and comments belong to no statement). */
  start: number;
  /** Offset just after the last token (before trailing blanks and the `;`). */
  end: number;
  /** 1-based line of the first token. */
  line: number;
  text: string;
};

/**
 * Splits a SQL file at the semicolons that end statements, skipping those inside
 * strings, quoted identifiers, comments and PostgreSQL dollar quotes. Splitting first,
 * and parsing each statement on its own, lets one statement the parser cannot read be
 * reported without losing the others.
 */
export function splitStatements(text: string, engine: Engine): StatementSpan[] {
  const spans: StatementSpan[] = [];
  let start = -1;
  let end = -1;
  let i = 0;
  const flush = () => {
    if (start >= 0)
      spans.push({
        start,
        end,
        line: lineAt(text, start),
        text: text.slice(start, end),
      });
    start = -1;
  };
  const token = (from: number, to: number) => {
    if (start < 0) start = from;
    end = to;
  };
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (/\s/.test(c)) {
      i++;
    } else if (
      (c === '-' && next === '-') ||
      (c === '#' && engine === 'mysql')
    ) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? text.length : eol + 1;
    } else if (c === '/' && next === '*') {
      i = skipBlockComment(text, i, engine === 'postgres');
    } else if (c === ';') {
      flush();
      i++;
    } else if (c === "'" || c === '"' || c === '`') {
      const backslashes =
        engine === 'mysql' ||
        (engine === 'postgres' && /[eE]/.test(text[i - 1] ?? ''));
      const close = skipQuoted(text, i, c, backslashes && c !== '`');
      token(i, close);
      i = close;
    } else if (
      c === '$' &&
      engine === 'postgres' &&
      !/\w/.test(text[i - 1] ?? '')
    ) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i));
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        const after = close < 0 ? text.length : close + tag[0].length;
        token(i, after);
        i = after;
      } else {
        token(i, i + 1);
        i++;
      }
    } else {
      token(i, i + 1);
      i++;
    }
  }
  flush();
  return spans;
}

/** 1-based line number of an offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++)
    if (text[i] === '\n') line++;
  return line;
}

function skipBlockComment(text: string, from: number, nests: boolean): number {
  let depth = 0;
  let i = from;
  while (i < text.length) {
    if (text.startsWith('/*', i) && (nests || depth === 0)) {
      depth++;
      i += 2;
    } else if (text.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return text.length;
}

/** Offset just after the closing quote; a doubled quote (and, where the engine reads them, a backslash) escapes. */
function skipQuoted(
  text: string,
  from: number,
  quote: string,
  backslashes: boolean,
): number {
  let i = from + 1;
  while (i < text.length) {
    const c = text[i];
    if (backslashes && c === '\\') i += 2;
    else if (c === quote && text[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  return text.length;
}
