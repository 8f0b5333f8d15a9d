import { deferrableOf } from './referentialAction';
import {
  keyColumnNames,
  relationName,
  relationSchema,
} from './postgresCatalogNames';
import { NAMED_RELATION } from './postgresNamedRelation';
import type {
  CheckSchema,
  ForeignKeySchema,
  TableSchema,
} from '@internal/backstage-plugin-dataset-migrations-common';

/** `pg_constraint.confupdtype` / `confdeltype` as SQL spells the action. */
const ACTIONS: Record<string, string> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

/**
 * `CHECK ((amount > (0)::numeric)) NOT VALID` as `pg_get_constraintdef` writes it, to
 * the condition alone. A NOT VALID check is carried as a check: the copied rows are
 * the ones the source holds, so the target validates them all.
 */
export function checkCondition(definition: string): string | undefined {
  const match = /^CHECK \(([\s\S]*)\)(?: NOT VALID)?(?: NO INHERIT)?$/.exec(
    definition.trim(),
  );
  return match?.[1];
}

/** A table's own constraints (bindings: schema, table). */
export const POSTGRES_CONSTRAINTS_SQL = `SELECT con.conname AS name, con.contype AS kind, pg_get_constraintdef(con.oid) AS def,
              con.confupdtype AS on_update, con.confdeltype AS on_delete,
              con.condeferrable AS is_deferrable, con.condeferred AS is_deferred,
              ${keyColumnNames('con.conkey', 'con.conrelid')} AS cols,
              ${relationSchema('con.confrelid')} AS ref_schema,
              ${relationName('con.confrelid')} AS ref_table,
              ${keyColumnNames('con.confkey', 'con.confrelid')} AS ref_cols,
              ${relationName('con.conindid')} AS index_name
       FROM pg_constraint con
       WHERE con.conrelid = ${NAMED_RELATION} AND con.contype IN ('c', 'f', 'u')
       ORDER BY con.conname`;

/**
 * Adds the table's own constraints, the rows of `POSTGRES_CONSTRAINTS_SQL`, to an
 * introspected PostgreSQL table: its foreign keys (`contype` 'f', columns in key
 * order), CHECK constraints ('c') and which unique indexes back a UNIQUE constraint
 * ('u').
 */
export function withPostgresConstraints(
  table: TableSchema,
  rows: Record<string, unknown>[],
): TableSchema {
  const foreignKeys: ForeignKeySchema[] = [];
  const checks: CheckSchema[] = [];
  const uniqueIndexes = new Set<string>();
  for (const row of rows) {
    const name = String(row.name);
    if (row.kind === 'u') {
      uniqueIndexes.add(String(row.index_name ?? name));
    } else if (row.kind === 'c') {
      const expression = checkCondition(String(row.def));
      if (expression !== undefined) checks.push({ name, expression });
    } else {
      foreignKeys.push({
        name,
        columns: (row.cols as string[]).map(String),
        references: {
          schema: String(row.ref_schema),
          table: String(row.ref_table),
          columns: (row.ref_cols as string[]).map(String),
        },
        onDelete: ACTIONS[String(row.on_delete)] ?? 'NO ACTION',
        onUpdate: ACTIONS[String(row.on_update)] ?? 'NO ACTION',
        ...deferrableOf(row),
      });
    }
  }
  return {
    ...table,
    indexes: table.indexes.map(index =>
      uniqueIndexes.has(index.name) ? { ...index, isConstraint: true } : index,
    ),
    foreignKeys,
    checks,
  };
}
