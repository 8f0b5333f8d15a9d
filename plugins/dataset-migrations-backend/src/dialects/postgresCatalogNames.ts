/**
 * Names read from PostgreSQL's catalog by oid, as scalar subqueries of the catalog
 * reads: each looks one row up by its catalog's own index rather than joining, which
 * keeps those reads cheap to plan (see NAMED_RELATION).
 */

/** The name of attribute `attnum` of relation `relation`, as text. */
export const attributeName = (relation: string, attnum: string) =>
  `(SELECT a.attname::text FROM pg_attribute a
    WHERE a.attrelid = ${relation} AND a.attnum = ${attnum})`;

/**
 * The names of a key's columns in key order, as text[] (node-pg parses it): `keys` is
 * an int2vector of attribute numbers (conkey, confkey) of `relation`.
 */
export const keyColumnNames = (keys: string, relation: string) =>
  `ARRAY(SELECT ${attributeName(relation, 'k.attnum')}
         FROM unnest(${keys}) WITH ORDINALITY AS k(attnum, ord) ORDER BY k.ord)`;

/** The name of the relation whose oid is `oid`. */
export const relationName = (oid: string) =>
  `(SELECT r.relname FROM pg_class r WHERE r.oid = ${oid})`;

/** The schema of the relation whose oid is `oid`. */
export const relationSchema = (oid: string) =>
  `(SELECT s.nspname FROM pg_class r JOIN pg_namespace s ON s.oid = r.relnamespace
    WHERE r.oid = ${oid})`;
