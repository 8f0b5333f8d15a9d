import type { ColumnSchema } from '@internal/backstage-plugin-dataset-migrations-common';
import { portableDefault } from './portableDefault';

/** The columns of table `?` in schema `?`, in order (bindings: schema, table). */
export const POSTGRES_COLUMNS_SQL = `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
              NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS dflt,
              a.attidentity AS ident,
              pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) AS seq,
              CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS coll
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_collation co ON co.oid = a.attcollation
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')
         AND a.attnum > 0 AND NOT a.attisdropped
       ORDER BY a.attnum`;

/**
 * A PostgreSQL table's columns as the plan carries them, from the rows of
 * `POSTGRES_COLUMNS_SQL`: declared type, nullability, default (and whether it is an
 * expression), identity (GENERATED … AS IDENTITY, or a serial: a `nextval` default of
 * a sequence the column owns) and a collation other than the type's default.
 */
export function postgresColumnsOf(
  rows: Record<string, unknown>[],
): ColumnSchema[] {
  return rows.map(row => {
    const dflt =
      row.dflt === null || row.dflt === undefined ? null : String(row.dflt);
    const column: ColumnSchema = {
      name: String(row.name),
      type: String(row.type).toLowerCase(),
      isNullable: Boolean(row.nullable),
      defaultValue: dflt,
    };
    if (row.ident === 'a' || row.ident === 'd') {
      column.identity = {
        generation: row.ident === 'a' ? 'always' : 'by-default',
        kind: 'identity',
      };
    } else if (row.seq && dflt !== null && /^nextval\(/i.test(dflt)) {
      // A serial: the default draws from a sequence the column owns.
      column.identity = { generation: 'by-default', kind: 'serial' };
    }
    if (dflt !== null)
      column.isDefaultExpression = portableDefault(dflt) === null;
    if (row.coll) column.collation = String(row.coll);
    return column;
  });
}
