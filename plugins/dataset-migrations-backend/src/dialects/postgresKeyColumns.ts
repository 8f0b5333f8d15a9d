/**
 * The names of a key's columns in key order, as text[] (node-pg parses it): `keys` is
 * an int2vector of attribute numbers (conkey, confkey) of `relation`. Each name is
 * looked up by the attribute's own index rather than joined, which keeps the catalog
 * reads that use it cheap to plan (see NAMED_RELATION).
 */
export const keyColumnNames = (keys: string, relation: string) =>
  `ARRAY(SELECT (SELECT a.attname::text FROM pg_attribute a
                 WHERE a.attrelid = ${relation} AND a.attnum = k.attnum)
         FROM unnest(${keys}) WITH ORDINALITY AS k(attnum, ord) ORDER BY k.ord)`;
