import type { ColumnSchema } from '@internal/backstage-plugin-dataset-migrations-common';
import { portableDefault } from './portableDefault';
import { NAMED_RELATION } from './postgresNamedRelation';

/**
 * The columns of table `?` in schema `?`, in order (bindings: schema, table). The
 * relation's kind is checked by the lookup that goes with this read (introspect).
 * A serial's sequence is looked up only for a column with a default.
 */
export const POSTGRES_COLUMNS_SQL = `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
              NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS dflt,
              a.attidentity AS ident,
              CASE WHEN d.adbin IS NOT NULL
                THEN pg_get_serial_sequence(a.attrelid::regclass::text, a.attname) END AS seq,
              CASE WHEN a.attcollation <> (SELECT t.typcollation FROM pg_type t WHERE t.oid = a.atttypid)
                THEN (SELECT co.collname FROM pg_collation co WHERE co.oid = a.attcollation) END AS coll
       FROM pg_attribute a
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE a.attrelid = ${NAMED_RELATION} AND a.attnum > 0 AND NOT a.attisdropped
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
