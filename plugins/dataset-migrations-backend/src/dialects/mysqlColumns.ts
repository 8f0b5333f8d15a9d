import type { ColumnSchema } from '@internal/backstage-plugin-dataset-migrations-common';
import type { Knex } from 'knex';
import { allRows } from './rawRows';
import { portableDefault } from './portableDefault';
import { stringLiteral } from './common';

/**
 * MySQL 8 reports a literal string default unquoted (`open`) and an expression default
 * with DEFAULT_GENERATED in EXTRA; MariaDB quotes literals (`'open'`) and reports a
 * missing default as the text NULL. Both become MariaDB's (and the other engines') form.
 */
function defaultExpression(
  raw: unknown,
  extra: unknown,
  dataType: unknown,
  isMariaDb: boolean,
): string | null {
  if (raw === null || raw === undefined) return null;
  const text = String(raw);
  if (isMariaDb) return text === 'NULL' ? null : text;
  if (/DEFAULT_GENERATED/i.test(String(extra ?? ''))) return text;
  const numeric =
    /^(tinyint|smallint|mediumint|int|integer|bigint|decimal|numeric|float|double|real|bit|year)$/i;
  if (numeric.test(String(dataType ?? ''))) return text;
  return stringLiteral(text, false);
}

/**
 * A MySQL/MariaDB table's columns as the plan carries them: declared type, nullability,
 * default (and whether it is an expression), AUTO_INCREMENT, and the collation of every
 * character column. The collation is reported even when it is the table's default: the
 * tables this product creates default to utf8mb4_bin, so a source's `_ci` default
 * would otherwise turn case-sensitive unnoticed.
 */
export async function readMysqlColumns(
  knex: Knex,
  db: string,
  table: string,
  isMariaDb: boolean,
): Promise<ColumnSchema[]> {
  const rows = allRows(
    await knex.raw(
      `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt,
              EXTRA AS extra, DATA_TYPE AS dataType, COLLATION_NAME AS coll
       FROM information_schema.COLUMNS
       WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?
         AND CAST(TABLE_SCHEMA AS BINARY) = CAST(? AS BINARY) AND CAST(TABLE_NAME AS BINARY) = CAST(? AS BINARY)
       ORDER BY ORDINAL_POSITION`,
      [db, table, db, table],
    ),
  );
  return rows.map(row => {
    const dflt = defaultExpression(
      row.dflt,
      row.extra,
      row.dataType,
      isMariaDb,
    );
    const column: ColumnSchema = {
      name: String(row.name),
      type: String(row.type).toLowerCase(),
      isNullable: row.nullable === 'YES',
      defaultValue: dflt,
    };
    if (/\bauto_increment\b/i.test(String(row.extra ?? ''))) {
      column.identity = { generation: 'by-default', kind: 'auto_increment' };
    }
    if (dflt !== null)
      column.isDefaultExpression = portableDefault(dflt) === null;
    if (row.coll) column.collation = String(row.coll);
    const onUpdate = /\bon update (\S+)/i.exec(String(row.extra ?? ''));
    if (onUpdate) column.onUpdate = onUpdate[1];
    return column;
  });
}
