import type {
  Engine,
  Plan,
} from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import type { Dialect } from '../dialects/Dialect';
import { valueConverter } from './convertValue';
import { copyTextValue } from './pgCopyWriter';
import { insertRowsSql } from './tableWrites';

/** Rows per multi-row INSERT: below every engine's bound-parameter limit for wide tables. */
// SQLite caps a compound SELECT (knex's multi-row insert there) at 500 rows.
const rowsPerInsert = (columnCount: number) =>
  Math.max(1, Math.min(500, Math.floor(30_000 / Math.max(1, columnCount))));

/**
 * Turns rows of the plan's source select (`c<i>` per target column in plan order, plus
 * the `dm_k<i>` key columns) into target rows and writes them with multi-row inserts.
 */
export function createRowWriter(
  plan: Pick<Plan, 'columns'>,
  targetDialect: Dialect,
  targetEngine: Engine,
) {
  const converters = plan.columns.map(c => ({
    target: c.target,
    convert: valueConverter(
      targetEngine,
      targetDialect.toLogical(c.targetType),
    ),
  }));
  const chunk = rowsPerInsert(converters.length);
  const labels = converters.map((_c, i) => `c${i}`);
  return {
    /**
     * Driver rows straight into PostgreSQL's COPY text, without a converted row object
     * in between: on wide, fast copies those objects are most of the garbage.
     */
    copyText(rows: Record<string, unknown>[]): string {
      let out = '';
      for (const row of rows) {
        let line = '';
        for (let i = 0; i < converters.length; i++) {
          if (i > 0) line += '\t';
          line += copyTextValue(converters[i].convert(row[labels[i]]));
        }
        out += `${line}\n`;
      }
      return out;
    },
    /**
     * One row read as an array (the select's values in its column order, as a
     * `rowsAsArray` driver gives them) as its line of COPY text, newline included.
     */
    copyLine(values: unknown[]): string {
      let line = '';
      for (let i = 0; i < converters.length; i++) {
        if (i > 0) line += '\t';
        line += copyTextValue(converters[i].convert(values[i]));
      }
      return `${line}\n`;
    },
    /** Converts driver rows (keyed by the select's column labels) into target rows. */
    convert(rows: Record<string, unknown>[]): Record<string, unknown>[] {
      return rows.map(row => {
        const out: Record<string, unknown> = {};
        converters.forEach((c, i) => {
          out[c.target] = c.convert(row[`c${i}`]);
        });
        return out;
      });
    },
    /**
     * Inserts converted rows, in chunks; with `ignoreKey`, rows whose key the table
     * already holds are skipped (see insertRowsSql).
     */
    async write(
      knex: Knex | Knex.Transaction,
      table: { schema?: string; table: string },
      rows: Record<string, unknown>[],
      options: { ignoreKey?: string[] } = {},
    ): Promise<void> {
      const columns = converters.map(c => c.target);
      for (let i = 0; i < rows.length; i += chunk) {
        const values = rows
          .slice(i, i + chunk)
          .map(row => columns.map(c => row[c]));
        await knex.raw(
          insertRowsSql(
            targetDialect,
            table,
            columns,
            values,
            options.ignoreKey,
          ),
        );
      }
    },
  };
}
