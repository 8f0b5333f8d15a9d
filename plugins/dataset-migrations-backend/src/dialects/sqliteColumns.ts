import type { ColumnSchema } from '@internal/backstage-plugin-dataset-migrations-common';
import { portableDefault } from './portableDefault';

/** What SQLite keeps only in a table's CREATE statement: per column, its COLLATE and AUTOINCREMENT. */
type DeclaredColumn = { collation?: string; isAutoincrement: boolean };

/** Splits `text` at top-level `separator`s, outside quotes, brackets and parentheses. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"' || char === '`') quote = char;
    else if (char === '[') quote = ']';
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

const unquote = (name: string) => {
  const first = name[0];
  if (first === '"' || first === '`')
    return name
      .slice(1, -1)
      .split(first + first)
      .join(first);
  if (first === '[') return name.slice(1, -1);
  return name;
};

/** The column definitions of a CREATE TABLE, by column name as declared. */
export function declaredColumns(
  createSql: string,
): Map<string, DeclaredColumn> {
  const result = new Map<string, DeclaredColumn>();
  const open = createSql.indexOf('(');
  const close = createSql.lastIndexOf(')');
  if (open < 0 || close < open) return result;
  for (const part of splitTopLevel(createSql.slice(open + 1, close), ',')) {
    const definition = part.trim();
    if (/^(constraint|primary|unique|check|foreign)\b/i.test(definition))
      continue;
    const name = /^("(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|[^\s(]+)/.exec(
      definition,
    )?.[1];
    if (!name) continue;
    // Quoted text (string defaults, CHECK literals) cannot hold the keywords looked for.
    const rest = definition.slice(name.length).replace(/'(?:[^']|'')*'/g, "''");
    const collation = /\bCOLLATE\s+("(?:[^"]|"")*"|\w+)/i.exec(rest)?.[1];
    result.set(unquote(name), {
      collation: collation ? unquote(collation) : undefined,
      isAutoincrement: /\bAUTOINCREMENT\b/i.test(rest),
    });
  }
  return result;
}

/**
 * Adds what `pragma_table_info` does not say to SQLite columns: the rowid alias (a
 * single-column INTEGER PRIMARY KEY of a rowid table, AUTOINCREMENT or not), whether a
 * default is an expression, and a collation other than BINARY.
 */
export function withSqliteColumnDetails(
  columns: ColumnSchema[],
  primaryKey: string[],
  createSql: string,
): ColumnSchema[] {
  const declared = declaredColumns(createSql);
  const isRowidTable = !/\)\s*WITHOUT\s+ROWID\b[^)]*$/i.test(createSql);
  return columns.map(c => {
    const column: ColumnSchema = { ...c };
    const found =
      declared.get(c.name) ??
      [...declared.entries()].find(
        ([name]) => name.toLowerCase() === c.name.toLowerCase(),
      )?.[1];
    if (
      isRowidTable &&
      primaryKey.length === 1 &&
      primaryKey[0] === c.name &&
      c.type.trim().toLowerCase() === 'integer'
    ) {
      column.identity = {
        generation: 'by-default',
        kind: found?.isAutoincrement ? 'auto_increment' : 'rowid',
      };
    }
    if (c.defaultValue !== null)
      column.isDefaultExpression = portableDefault(c.defaultValue) === null;
    if (found?.collation && found.collation.toUpperCase() !== 'BINARY')
      column.collation = found.collation.toUpperCase();
    return column;
  });
}
