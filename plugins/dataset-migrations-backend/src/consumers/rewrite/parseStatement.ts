import type { Engine } from '@internal/backstage-plugin-dataset-migrations-common';
import {
  parse,
  type DialectName,
  type ParserOptions,
  type Statement,
} from 'sql-parser-cst';

// MariaDB is parsed as MySQL first and as MariaDB when MySQL's grammar refuses it: the
// suite's `mysql2` connections serve both servers.
const DIALECTS: Record<Engine, DialectName[]> = {
  sqlite: ['sqlite'],
  postgres: ['postgresql'],
  mysql: ['mysql', 'mariadb'],
};

// Placeholders consumers' drivers use, so a parameterised query still parses.
const PARAMS: Record<Engine, NonNullable<ParserOptions['paramTypes']>> = {
  sqlite: ['?', '?nr', ':name', '$name', '@name'],
  postgres: ['$nr'],
  mysql: ['?'],
};

export type ParsedStatement =
  | { statement: Statement; error?: undefined }
  | {
      statement?: undefined;
      error: string;
      /** 1-based line within the statement where the parser stopped. */
      line: number;
    };

/** Parses one statement with its source ranges, in the consumer's dialect. */
export function parseStatement(text: string, engine: Engine): ParsedStatement {
  let error = '';
  let line = 1;
  for (const dialect of DIALECTS[engine]) {
    try {
      const program = parse(text, {
        dialect,
        includeRange: true,
        paramTypes: PARAMS[engine],
      });
      const statements = program.statements.filter(s => s.type !== 'empty');
      if (statements.length === 1) return { statement: statements[0] };
      error = `expected one statement, found ${statements.length}`;
    } catch (e) {
      if (!error) {
        const message = e instanceof Error ? e.message : String(e);
        error = message.split('\n')[0].trim();
        const at = /--> .*:(\d+):\d+/.exec(message);
        if (at) line = Number(at[1]);
      }
    }
  }
  return { error, line };
}
