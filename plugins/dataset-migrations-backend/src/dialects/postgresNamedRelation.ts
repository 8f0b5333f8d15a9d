/**
 * The oid of relation `?`.`?` (bindings: schema, or NULL for the session's current
 * one; table), or NULL when there is none. The catalog reads filter by it instead of
 * joining pg_namespace and pg_class to match the names: PostgreSQL then plans each read
 * over one catalog's oid index. Planning the joins cost more than running the reads
 * (0.5–1.9 ms a read against 0.1 ms, with the catalog caches that thousands of
 * migrations' DDL keep invalidating), and a campaign introspects every table twice.
 */
export const NAMED_RELATION = `to_regclass(format('%I.%I', COALESCE(?::text, current_schema()), ?::text))`;
