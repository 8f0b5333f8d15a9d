import type { Engine } from '@internal/backstage-plugin-dataset-migrations-common';
import {
  mysqlKeywords,
  postgresqlKeywords,
  sqliteKeywords,
  type Identifier,
} from 'sql-parser-cst';

/**
 * How each engine compares and writes names, so a reference is matched the way the
 * engine itself would resolve it, and a new name is written so the engine reads it as
 * meant.
 */
export type SqlNames = {
  /** The name the engine's catalog holds for an identifier as written. */
  catalogName(id: Identifier): string;
  /** Whether two catalog names name the same table, or the same column. */
  same(kind: 'table' | 'column', a: string, b: string): boolean;
  /** A new name written in the style of the identifier it replaces. */
  write(name: string, like?: Identifier): string;
};

const KEYWORDS: Record<Engine, Record<string, boolean>> = {
  sqlite: sqliteKeywords,
  postgres: postgresqlKeywords,
  mysql: mysqlKeywords,
};

const DEFAULT_QUOTE: Record<Engine, string> = {
  sqlite: '"',
  postgres: '"',
  mysql: '`',
};

export function isQuoted(id: Identifier): boolean {
  return ['"', '`', '['].includes(id.text[0]);
}

export function sqlNames(engine: Engine): SqlNames {
  // PostgreSQL folds unquoted names to lower case; SQLite compares names without case;
  // MySQL/MariaDB compare column names without case and table names with it (the
  // default lower_case_table_names=0 on Linux).
  const plain =
    engine === 'postgres' ? /^[a-z_][a-z0-9_$]*$/ : /^[A-Za-z_][A-Za-z0-9_$]*$/;
  return {
    catalogName(id) {
      return engine === 'postgres' && !isQuoted(id)
        ? id.name.toLowerCase()
        : id.name;
    },
    same(kind, a, b) {
      if (engine === 'postgres') return a === b;
      if (engine === 'mysql' && kind === 'table') return a === b;
      return a.toLowerCase() === b.toLowerCase();
    },
    write(name, like) {
      const quote = like && isQuoted(like) ? like.text[0] : undefined;
      if (!quote && plain.test(name) && !KEYWORDS[engine][name.toUpperCase()])
        return name;
      const open = quote ?? DEFAULT_QUOTE[engine];
      const close = open === '[' ? ']' : open;
      return `${open}${name.split(close).join(close + close)}${close}`;
    },
  };
}
